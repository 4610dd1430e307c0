package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.tunnelmq.server.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

/** A queue's monitoring figures: totals counted at each event, the oldest waiting message's age. */
@Timeout(10)
class QueueFiguresTest {
    private static final long LOCK = 1_000;

    private ManualTimer timer;
    private PeekLockQueue queue;

    @BeforeEach
    void setUp() {
        timer = new ManualTimer();
        queue = TestQueues.queue("orders", timer, new QueueSettings(LOCK, 3));
    }

    @Test
    void theOldestWaitingMessageIsFoundWhateverItsPriority() {
        assertThat(queue.figures().oldestAvailableMillis()).isZero();
        queue.enqueue(message("orders", "low")); // priority 4
        timer.advance(1_000);
        queue.enqueue(withPriority("urgent", 9)); // delivered first, but younger
        timer.advance(500);
        assertThat(queue.figures().oldestAvailableMillis()).isEqualTo(1_500);

        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 1);
        assertThat(c.take().message().messageId()).isEqualTo("urgent");
        assertThat(queue.figures().oldestAvailableMillis()).isEqualTo(1_500);
    }

    @Test
    void eachSettlementIsCountedOnce() {
        for (String id : new String[] {"m1", "m2", "m3", "m4"}) {
            queue.enqueue(message("orders", id));
        }
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 4);
        Delivery m1 = c.take();
        Delivery m2 = c.take();
        Delivery m3 = c.take();
        c.take(); // m4: its lock runs out
        queue.settle(c.owner(), m1.lockToken(), SettleOutcome.COMPLETE, null);
        queue.settle(c.owner(), m2.lockToken(), SettleOutcome.ABANDON, null);
        queue.settle(c.owner(), m3.lockToken(), SettleOutcome.DEAD_LETTER, "bad");
        timer.advance(LOCK + LockTimers.UNSEEN_GRACE_MILLIS + 1); // an unseen lock gets a grace first

        QueueTotals totals = queue.figures().totals();
        assertThat(totals.enqueued()).isEqualTo(4);
        assertThat(totals.completed()).isEqualTo(1);
        assertThat(totals.abandoned()).isEqualTo(1);
        assertThat(totals.deadLettered()).isEqualTo(1);
        assertThat(totals.lockExpired()).isEqualTo(1);
        assertThat(totals.delivered()).isEqualTo(4);
        assertThat(totals.revoked()).isEqualTo(1); // the unseen expired lock is revoked from its consumer's buffer
        assertThat(queue.figures().stats().available()).isEqualTo(2);

        assertThat(queue.purge()).isEqualTo(2);
        assertThat(queue.figures().totals().purged()).isEqualTo(2);
        assertThat(queue.figures().stats().depth()).isZero();
    }

    @Test
    void aPurgeOfStoreIdsTakesThoseWaitingAndLeavesLockedAndOtherOnes() {
        for (int id = 1; id <= 5; id++) {
            queue.enqueue(message("orders", "m" + id), id);
        }
        queue.enqueue(message("orders", "scheduled", 0, Long.MAX_VALUE / 2), 6);
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 1);
        long purgeTaken = System.nanoTime();
        Delivery m1 = c.take();
        assertThat(m1.message().messageId()).isEqualTo("m1");

        assertThat(queue.purgeStored(new long[] {6, 3, 1, 2, 99}, purgeTaken)).as("m2, m3 and the scheduled one")
                .isEqualTo(3);
        assertThat(queue.stats().locked()).as("m1 stays with its consumer").isEqualTo(1);
        assertThat(queue.stats().available()).isEqualTo(2);
        assertThat(queue.stats().scheduled()).isZero();
        assertThat(queue.figures().totals().purged()).isEqualTo(3);
        assertThat(queue.purgeStored(new long[0], purgeTaken)).isZero();

        queue.settle(c, m1.lockToken(), SettleOutcome.ABANDON, null); // waiting again, for a consumer without credit
        assertThat(queue.purgeStored(new long[] {1}, purgeTaken)).as("m1 waits again since after that purge").isZero();
        long laterPurge = System.nanoTime() + 2; // the stamp of its wait is made odd: one nanosecond more at most
        assertThat(queue.purgeStored(new long[] {1}, laterPurge)).as("m1 was waiting at a later one").isEqualTo(1);
    }

    private static WireMessage withPriority(String id, int priority) {
        return new WireMessage(WireDestination.queue("orders"), id, 0, null, null, null, false, priority, 0, 0,
                Map.of(), BodyType.TEXT, id.getBytes(StandardCharsets.UTF_8));
    }
}
