package io.tunnelmq.server.session;

import io.tunnelmq.protocol.frame.Browse;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.cluster.SharedQueuesInMemory;
import io.tunnelmq.server.selector.Selector;
import io.tunnelmq.server.store.StoredQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A queue shared with other brokers is browsed from the shared store, page by page, as a local one is. */
@Timeout(10)
class SharedBrowsingTest {
    private final SharedQueuesInMemory.Rows rows = new SharedQueuesInMemory.Rows();
    private final SharedQueuesInMemory store = new SharedQueuesInMemory(rows, "A");

    @Test
    void pagesFollowDeliveryOrderAndTheCursorWithSelectorAndOffset() {
        for (int i = 0; i < 600; i++) {
            add("m" + i, i % 3 == 0 ? 9 : 4, i % 2 == 0 ? "red" : "blue", 0);
        }
        add("later", 9, "red", Long.MAX_VALUE); // not due: a browser does not see it
        Selector red = Selector.compile("color = 'red'");

        List<String> seen = new ArrayList<>();
        long cursor = 0;
        boolean last = false;
        while (!last) {
            QueueBrowsing.Page page = page(red, 0, 70, cursor);
            page.messages().forEach(m -> seen.add(m.messageId()));
            last = page.last();
            cursor = page.cursor();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 600; i += 6) {
            expected.add("m" + i); // priority 9, red
        }
        for (int i = 0; i < 600; i++) {
            if (i % 2 == 0 && i % 3 != 0) {
                expected.add("m" + i);
            }
        }
        assertThat(seen).containsExactlyElementsOf(expected);

        QueueBrowsing.Page skipped = page(red, 5, 2, 0);
        assertThat(skipped.messages()).extracting(WireMessage::messageId).containsExactly("m30", "m36");
    }

    @Test
    void anEmptyQueueIsOnePageThatIsTheLast() {
        QueueBrowsing.Page page = page(null, 0, 10, 0);
        assertThat(page.messages()).isEmpty();
        assertThat(page.last()).isTrue();
    }

    private QueueBrowsing.Page page(Selector selector, int offset, int wanted, long cursor) {
        Browse request = new Browse(1, 1, WireDestination.queue("q"), null, offset, wanted, cursor);
        return SharedBrowsing.page(request, store, null, selector, wanted, 1 << 20, System::currentTimeMillis,
                Runnable::run).join();
    }

    private void add(String id, int priority, String color, long deliveryTime) {
        WireMessage m = new WireMessage(WireDestination.queue("q"), id, 0, null, null, null, false, priority, 0,
                deliveryTime, Map.of("color", color), BodyType.TEXT, id.getBytes(StandardCharsets.UTF_8));
        rows.add(StoredQueue.queue("q"), m);
    }
}
