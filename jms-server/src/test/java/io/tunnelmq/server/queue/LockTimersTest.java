package io.tunnelmq.server.queue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.tunnelmq.server.queue.TestMessages.message;
import static io.tunnelmq.server.queue.TestSettle.complete;
import static org.assertj.core.api.Assertions.assertThat;

/** Lock expiry without a timer per lock: one timer per lane of locks that share a duration. */
@Timeout(10)
class LockTimersTest {
    private static final long LOCK = 1_000;

    private ManualTimer timer;
    private PeekLockQueue queue;

    @BeforeEach
    void setUp() {
        timer = new ManualTimer();
        queue = TestQueues.queue("q", timer, new QueueSettings(LOCK, 10));
    }

    @Test
    void aShorterLockTakenAfterALongerOneExpiresFirst() {
        TestConsumer slow = new TestConsumer("slow", 5_000, null);
        TestConsumer quick = new TestConsumer("quick", 500, null);
        queue.enqueue(message("q", "m1"));
        queue.consumers().add(slow, 1);
        Delivery held = slow.take();
        timer.advance(100);
        queue.enqueue(message("q", "m2"));
        queue.consumers().add(quick, 1);
        Delivery brief = quick.take();
        queue.taken(slow, held.lockToken());
        queue.taken(quick, brief.lockToken());

        timer.advance(499);
        assertThat(quick.expiredTokens).as("not a millisecond early").isEmpty();
        timer.advance(1);
        assertThat(quick.expiredTokens).containsExactly(brief.lockToken());
        assertThat(slow.expiredTokens).isEmpty();

        timer.advance(4_400);
        assertThat(slow.expiredTokens).containsExactly(held.lockToken());
    }

    @Test
    void aSeenLockBehindAnUnseenOneInItsGraceExpiresOnTime() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 2);
        queue.enqueue(message("q", "unseen"));
        queue.enqueue(message("q", "seen"));
        Delivery first = c.take();
        Delivery second = c.take();
        queue.taken(c, second.lockToken());

        timer.advance(LOCK);
        assertThat(c.expiredTokens).as("the seen lock at its expiry").containsExactly(second.lockToken());

        timer.advance(LockTimers.UNSEEN_GRACE_MILLIS - 1);
        assertThat(c.expiredTokens).as("the unseen one not before its grace ends").hasSize(1);
        timer.advance(1);
        assertThat(c.expiredTokens).containsExactly(second.lockToken(), first.lockToken());
    }

    @Test
    void locksSettledInOrderLeaveNoTimerAndOneHeldLockStillExpires() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 1_000);
        for (int i = 0; i < 500; i++) {
            queue.enqueue(message("q", "m" + i));
        }
        Delivery held = c.take();
        queue.taken(c, held.lockToken());
        for (int i = 1; i < 500; i++) {
            assertThat(complete(queue, c, c.take().lockToken())).isEqualTo(SettleResult.OK);
        }
        assertThat(timer.pendingTasks()).as("one timer for the lane").isEqualTo(1);

        timer.advance(LOCK);
        assertThat(c.expiredTokens).containsExactly(held.lockToken());
        Delivery again = c.take();
        assertThat(complete(queue, c, again.lockToken())).isEqualTo(SettleResult.OK);
        assertThat(timer.pendingTasks()).as("an emptied lane cancels its timer").isZero();
    }

    @Test
    void aRenewedLockMovesBehindTheOthersAndExpiresAtItsNewEnd() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 2);
        queue.enqueue(message("q", "renewed"));
        queue.enqueue(message("q", "other"));
        Delivery renewed = c.take();
        timer.advance(10);
        Delivery other = c.take();
        queue.taken(c, renewed.lockToken());
        queue.taken(c, other.lockToken());
        timer.advance(500);
        assertThat(TestSettle.renew(queue, c, renewed.lockToken())).isEqualTo(SettleResult.OK);

        timer.advance(LOCK - 10); // 1,500 ms after the first lock, 1,490 after the other's
        assertThat(c.expiredTokens).as("the other one, on time").containsExactly(other.lockToken());
        timer.advance(9); // the renewed lock ends 1,000 ms after its renewal, at 1,510
        assertThat(c.expiredTokens).as("not before its new end").hasSize(1);
        timer.advance(1);
        assertThat(c.expiredTokens).containsExactly(other.lockToken(), renewed.lockToken());
    }
}
