package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Operators' pages over a queue: every held message once, in delivery order, in bounded pages. */
@Timeout(30)
class HeldWalkTest {
    private final ManualTimer timer = new ManualTimer();
    private final PeekLockQueue queue = TestQueues.queue("q", timer, new QueueSettings(60_000, 10));

    private static WireMessage message(int n, int priority, long deliveryTime) {
        return new WireMessage(WireDestination.queue("q"), "m" + n, 0, null, null, null, false, priority, 0,
                deliveryTime, Map.of("n", n), BodyType.TEXT, new byte[0]);
    }

    @Test
    void takePagesMoveEveryWaitingMessageOnceInOrderAcrossTheScanLimitAndLeaveLockedOnes() {
        int count = BrowseWalk.SCAN_LIMIT * 2 + 500;
        for (int i = 0; i < count; i++) {
            queue.enqueue(message(i, i % 3 == 0 ? 7 : 4, 0));
        }
        TestConsumer consumer = new TestConsumer("c");
        queue.consumers().add(consumer, 2); // two messages locked (the first two in delivery order)
        List<String> locked = consumer.deliveries.stream().map(d -> d.message().messageId()).toList();
        assertThat(locked).hasSize(2);

        List<HeldMessage> taken = new ArrayList<>();
        long cursor = 0;
        int lockedLeft = -1;
        do {
            HeldPage page = queue.take(m -> (int) m.properties().get("n") % 2 == 0, cursor, 500);
            if (cursor == 0) {
                lockedLeft = page.locked();
            }
            taken.addAll(page.messages());
            cursor = page.next();
        } while (cursor != 0);

        int evenLocked = (int) locked.stream().filter(id -> Integer.parseInt(id.substring(1)) % 2 == 0).count();
        assertThat(lockedLeft).isEqualTo(evenLocked);
        assertThat(taken).hasSize((count + 1) / 2 - evenLocked);
        assertThat(taken).extracting(HeldMessage::state).containsOnly(HeldMessage.State.AVAILABLE);
        assertThat(taken).extracting(h -> h.message().messageId()).doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(locked);
        for (int i = 1; i < taken.size(); i++) {
            assertThat(taken.get(i - 1).cursor()).isLessThan(taken.get(i).cursor()); // delivery order
        }
        assertThat(queue.stats().depth()).isEqualTo(count - taken.size());
        assertThat(queue.stats().locked()).isEqualTo(2);
    }

    @Test
    void inspectShowsLockedAndScheduledInDeliveryOrderAndAPageCutByTheScanLimitIsNotTheEnd() {
        for (int i = 0; i < BrowseWalk.SCAN_LIMIT + 10; i++) {
            queue.enqueue(message(i, 4, 0));
        }
        queue.enqueue(message(-1, 4, timer.now() + 60_000)); // scheduled, last in order
        TestConsumer consumer = new TestConsumer("c");
        queue.consumers().add(consumer, 1);

        HeldPage first = queue.inspect(m -> true, 0, 3);
        assertThat(first.messages()).extracting(HeldMessage::state)
                .containsExactly(HeldMessage.State.LOCKED, HeldMessage.State.AVAILABLE, HeldMessage.State.AVAILABLE);
        assertThat(first.messages().get(0).owner()).isNotNull();
        assertThat(first.messages().get(0).lockedUntil()).isPositive();
        assertThat(first.end()).isFalse();

        List<HeldMessage> matching = new ArrayList<>();
        long cursor = 0;
        int pages = 0;
        do { // only the scheduled message matches: the walk needs more than one page to reach it
            HeldPage page = queue.inspect(m -> (int) m.properties().get("n") < 0, cursor, 10);
            matching.addAll(page.messages());
            cursor = page.next();
            pages++;
        } while (cursor != 0);
        assertThat(pages).isGreaterThan(1);
        assertThat(matching).singleElement().satisfies(h -> {
            assertThat(h.state()).isEqualTo(HeldMessage.State.SCHEDULED);
            assertThat(h.message().messageId()).isEqualTo("m-1");
        });
    }
}
