package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.tunnelmq.server.queue.TestSettle.complete;
import static org.assertj.core.api.Assertions.assertThat;

/** Browsing by cursor: pages complete, ordered and without duplicates while the queue is consumed. */
@Timeout(30)
class QueueBrowseTest {
    private final ManualTimer timer = new ManualTimer();
    private final PeekLockQueue queue = TestQueues.queue("q", timer, new QueueSettings(60_000, 10));

    private static WireMessage message(int n, int priority) {
        return new WireMessage(WireDestination.queue("q"), "m" + n, 0, null, null, null, false, priority, 0, 0,
                Map.of("n", n), BodyType.TEXT, ("m" + n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void pagesOfALargeQueueAreCompleteOrderedAndWithoutDuplicatesWhileMessagesAreConsumed() {
        int count = 50_000;
        Random random = new Random(12);
        for (int i = 0; i < count; i++) {
            queue.enqueue(message(i, random.nextInt(10) < 8 ? 4 : 7));
        }
        TestConsumer consumer = new TestConsumer("consumer");
        queue.consumers().add(consumer, 0);
        Set<String> consumed = new HashSet<>();
        List<WireMessage> seen = new ArrayList<>();
        long cursor = 0;
        int pages = 0;
        while (true) {
            BrowsePage page = queue.browse(m -> true, cursor, 0, 200);
            seen.addAll(page.messages());
            pages++;
            // between pages, a consumer takes some (they stay visible while locked) and completes others
            queue.consumers().addCredit(consumer, 150);
            for (Delivery d; (d = consumer.deliveries.poll()) != null; ) {
                if (random.nextBoolean()) {
                    complete(queue, consumer, d.lockToken());
                    consumed.add(d.message().messageId());
                }
            }
            if (page.end()) {
                break;
            }
            cursor = page.next();
        }

        List<String> ids = seen.stream().map(WireMessage::messageId).toList();
        assertThat(ids).doesNotHaveDuplicates();
        for (int i = 1; i < seen.size(); i++) {
            WireMessage before = seen.get(i - 1);
            WireMessage after = seen.get(i);
            assertThat(before.priority() > after.priority() || before.priority() == after.priority()
                    && (int) before.properties().get("n") < (int) after.properties().get("n"))
                    .as("delivery order at %s, %s", before.messageId(), after.messageId()).isTrue();
        }
        Set<String> present = new HashSet<>(ids);
        for (int i = 0; i < count; i++) {
            String id = "m" + i;
            assertThat(present.contains(id) || consumed.contains(id))
                    .as("%s was on the queue the whole walk but not browsed", id).isTrue();
        }
        assertThat(pages).isGreaterThan(count / 200 - consumed.size() / 200 - 1);
    }

    @Test
    void aSelectorThatMatchesLittleCutsPagesShortButTheWalkGoesOn() {
        for (int i = 0; i < BrowseWalk.SCAN_LIMIT * 2 + 10; i++) {
            queue.enqueue(message(i, 4));
        }
        List<String> matched = new ArrayList<>();
        long cursor = 0;
        int pages = 0;
        while (true) {
            BrowsePage page = queue.browse(m -> (int) m.properties().get("n") % 7_000 == 0, cursor, 0, 100);
            page.messages().forEach(m -> matched.add(m.messageId()));
            pages++;
            if (page.end()) {
                break;
            }
            assertThat(page.next()).isGreaterThan(cursor);
            cursor = page.next();
        }
        assertThat(matched).containsExactly("m0", "m7000", "m14000");
        assertThat(pages).as("each page looked at no more than the scan limit").isGreaterThanOrEqualTo(3);
    }

    @Test
    void aLockedMessageAppearsInItsPlace() {
        for (int i = 0; i < 5; i++) {
            queue.enqueue(message(i, 4));
        }
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 2);
        BrowsePage first = queue.browse(m -> true, 0, 0, 1);
        assertThat(first.messages()).extracting(WireMessage::messageId).containsExactly("m0");
        BrowsePage rest = queue.browse(m -> true, first.cursors()[0], 0, 10);
        assertThat(rest.messages()).extracting(WireMessage::messageId).containsExactly("m1", "m2", "m3", "m4");
        assertThat(rest.end()).isTrue();
        assertThat(queue.browse(m -> true, 0, 3, 10).messages()).as("a peer that pages by offset")
                .extracting(WireMessage::messageId).containsExactly("m3", "m4");
    }
}
