package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.tunnelmq.server.queue.TestSettle.abandon;
import static io.tunnelmq.server.queue.TestSettle.complete;
import static io.tunnelmq.server.queue.TestSettle.deadLetter;
import static io.tunnelmq.server.queue.TestSettle.release;
import static io.tunnelmq.server.queue.TestSettle.renew;
import static io.tunnelmq.server.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class PeekLockQueueTest {
    private static final long LOCK = 1_000;

    private ManualTimer timer;
    private MemoryTracker memory;
    private final Map<String, List<WireMessage>> deadLetters = new ConcurrentHashMap<>();
    private PeekLockQueue queue;

    @BeforeEach
    void setUp() {
        timer = new ManualTimer();
        memory = new MemoryTracker(1 << 30);
        queue = queue(new QueueSettings(LOCK, 3));
    }

    private PeekLockQueue queue(QueueSettings settings) {
        QueueServices services = new QueueServices(timer, new LockTokens(), memory,
                (dlq, m) -> deadLetters.computeIfAbsent(dlq, k -> new ArrayList<>()).add(m));
        return new PeekLockQueue("orders", "DLQ.orders", settings, services);
    }

    private void send(String... ids) {
        for (String id : ids) {
            queue.enqueue(message("orders", id));
        }
    }

    private static String id(Delivery d) {
        return d.message().messageId();
    }

    @Test
    void deliversInArrivalOrderOnlyWhileTheConsumerHasCredit() {
        send("m1", "m2", "m3");
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 2);

        assertThat(id(c.take())).isEqualTo("m1");
        assertThat(id(c.take())).isEqualTo("m2");
        assertThat(c.deliveries).isEmpty();

        assertThat(queue.consumers().addCredit(c, 1)).isTrue();
        Delivery third = c.take();
        assertThat(id(third)).isEqualTo("m3");
        assertThat(third.deliveryCount()).isEqualTo(1);
        assertThat(third.lockedUntil()).isEqualTo(timer.now() + LOCK);
        assertThat(queue.stats()).isEqualTo(new QueueStats(0, 3, 0, 3, 1, queue.stats().bytes()));
    }

    @Test
    void aCompetingConsumerGetsTheNextMessageWhileTheFirstHoldsALock() {
        send("m1", "m2");
        TestConsumer first = new TestConsumer("first");
        TestConsumer second = new TestConsumer("second");
        queue.consumers().add(first, 1);
        Delivery held = first.take();

        queue.consumers().add(second, 5);

        assertThat(id(held)).isEqualTo("m1");
        assertThat(id(second.take())).isEqualTo("m2");
        assertThat(second.deliveries).isEmpty();
    }

    @Test
    void consumersWithCreditAreServedRoundRobin() {
        TestConsumer a = new TestConsumer("a");
        TestConsumer b = new TestConsumer("b");
        TestConsumer idle = new TestConsumer("idle");
        queue.consumers().add(a, 10);
        queue.consumers().add(idle, 0);
        queue.consumers().add(b, 10);
        send("m1", "m2", "m3", "m4");

        assertThat(List.of(id(a.take()), id(b.take()), id(a.take()), id(b.take())))
                .containsExactly("m1", "m2", "m3", "m4");
        assertThat(idle.deliveries).isEmpty();
    }

    @Test
    void completeDeletesTheMessageAndReleasesItsMemory() {
        send("m1");
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        Delivery d = c.take();
        assertThat(memory.used()).isPositive();

        assertThat(complete(queue, c, d.lockToken())).isEqualTo(SettleResult.OK);

        assertThat(queue.stats().depth()).isZero();
        assertThat(memory.used()).isZero();
        assertThat(c.endedTokens).containsExactly(d.lockToken());
        assertThat(complete(queue, c, d.lockToken())).isEqualTo(SettleResult.UNKNOWN_LOCK_TOKEN);
        assertThat(timer.pendingTasks()).as("the lock timer is cancelled").isZero();
    }

    @Test
    void abandonPutsMessagesBackInTheirOriginalPositionWithTheCountRaised() {
        send("m1", "m2", "m3", "m4");
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 3);
        Delivery m1 = c.take();
        Delivery m2 = c.take();
        c.take();

        // abandoned in reverse order: position is by arrival, not by abandon time
        assertThat(abandon(queue, c, m2.lockToken())).isEqualTo(SettleResult.OK);
        assertThat(abandon(queue, c, m1.lockToken())).isEqualTo(SettleResult.OK);
        queue.consumers().addCredit(c, 3);

        Delivery again1 = c.take();
        Delivery again2 = c.take();
        assertThat(List.of(id(again1), id(again2), id(c.take()))).containsExactly("m1", "m2", "m4");
        assertThat(again1.deliveryCount()).isEqualTo(2);
        assertThat(again2.deliveryCount()).isEqualTo(2);
        assertThat(again1.lockToken()).isNotEqualTo(m1.lockToken());
    }

    @Test
    void releaseMakesTheMessageAvailableWithoutRaisingTheCount() {
        send("m1", "m2");
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 2);
        Delivery m1 = c.take();
        c.take();

        assertThat(release(queue, c, m1.lockToken())).isEqualTo(SettleResult.OK);
        queue.consumers().addCredit(c, 1);

        Delivery again = c.take();
        assertThat(id(again)).isEqualTo("m1");
        assertThat(again.deliveryCount()).isEqualTo(1);
    }

    @Test
    void anExpiredLockOfATakenMessageActsLikeAbandon() {
        send("m1");
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 2);
        Delivery first = c.take();
        queue.taken(c, first.lockToken());

        timer.advance(LOCK - 1);
        assertThat(c.deliveries).as("not expired a millisecond early").isEmpty();
        timer.advance(1);

        Delivery again = c.take();
        assertThat(id(again)).isEqualTo("m1");
        assertThat(again.deliveryCount()).isEqualTo(2);
        assertThat(c.expiredTokens).containsExactly(first.lockToken());
        assertThat(complete(queue, c, first.lockToken())).isEqualTo(SettleResult.UNKNOWN_LOCK_TOKEN);
        assertThat(complete(queue, c, again.lockToken())).isEqualTo(SettleResult.OK);
    }

    @Test
    void settlingAfterTheDeadlineReportsExpiryEvenBeforeTheTimerFires() {
        send("m1");
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 2);
        Delivery d = c.take();
        queue.taken(c, d.lockToken());
        timer.moveClockOnly(LOCK);

        assertThat(complete(queue, c, d.lockToken())).isEqualTo(SettleResult.LOCK_EXPIRED);

        assertThat(c.expiredTokens).containsExactly(d.lockToken());
        assertThat(c.take().deliveryCount()).as("redelivered as after expiry").isEqualTo(2);
    }

    @Test
    void renewExtendsTheLockByItsDuration() {
        send("m1");
        TestConsumer c = new TestConsumer("c", 500, null);
        queue.consumers().add(c, 2);
        Delivery d = c.take();
        assertThat(d.lockedUntil()).as("the consumer's lock duration wins").isEqualTo(timer.now() + 500);

        timer.advance(400);
        assertThat(renew(queue, c, d.lockToken())).isEqualTo(SettleResult.OK);
        timer.advance(400);
        assertThat(c.deliveries).isEmpty();
        assertThat(complete(queue, c, d.lockToken())).isEqualTo(SettleResult.OK);
    }

    @Test
    void afterMaxDeliveryCountTheNextAbandonOrExpiryDeadLetters() {
        send("poison", "expiring");
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 100);
        Delivery poison = c.take();
        Delivery expiring = c.take();
        for (int count = 1; count < 3; count++) {
            assertThat(poison.deliveryCount()).isEqualTo(count);
            abandon(queue, c, poison.lockToken());
            poison = c.take();
        }
        assertThat(poison.deliveryCount()).isEqualTo(3);
        assertThat(abandon(queue, c, poison.lockToken())).isEqualTo(SettleResult.OK);

        assertThat(deadLetters.get("DLQ.orders")).hasSize(1);
        WireMessage dead = deadLetters.get("DLQ.orders").get(0);
        assertThat(dead.messageId()).isEqualTo("poison");
        assertThat(dead.destination().name()).isEqualTo("DLQ.orders");
        assertThat(dead.properties())
                .containsEntry(DeadLetters.REASON, "MaxDeliveryCountExceeded: delivered 3 times")
                .containsEntry(DeadLetters.ORIGINAL_DESTINATION, "orders")
                .containsEntry(DeadLetters.DELIVERY_COUNT, 3)
                .containsEntry("app", "x");

        for (int count = 1; count <= 3; count++) {
            assertThat(expiring.deliveryCount()).isEqualTo(count);
            queue.taken(c, expiring.lockToken());
            timer.advance(LOCK);
            if (count < 3) {
                expiring = c.take();
            }
        }
        assertThat(deadLetters.get("DLQ.orders")).hasSize(2);
        assertThat(queue.stats().depth()).isZero();
        assertThat(memory.used()).as("dead letters are no longer this queue's").isZero();
    }

    @Test
    void aClientMayDeadLetterWithOrWithoutAReason() {
        send("m1", "m2");
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 2);

        queue.settle(c, c.take().lockToken(), SettleOutcome.DEAD_LETTER, "cannot parse");
        deadLetter(queue, c, c.take().lockToken(), null);

        List<WireMessage> dead = deadLetters.get("DLQ.orders");
        assertThat(dead.get(0).properties()).containsEntry(DeadLetters.REASON, "cannot parse")
                .containsEntry(DeadLetters.DELIVERY_COUNT, 1);
        assertThat(dead.get(1).properties()).containsEntry(DeadLetters.REASON, DeadLetters.DEFAULT_CLIENT_REASON);
    }

    @Test
    void unknownTokensAndOtherOwnersTokensChangeNothing() {
        send("m1");
        TestConsumer c = new TestConsumer("c");
        TestConsumer other = new TestConsumer("other");
        queue.consumers().add(c, 1);
        Delivery d = c.take();
        QueueStats before = queue.stats();

        for (SettleOutcome outcome : SettleOutcome.values()) {
            assertThat(queue.settle(other, d.lockToken(), outcome, null)).isEqualTo(SettleResult.UNKNOWN_LOCK_TOKEN);
            assertThat(queue.settle(c, 999_999, outcome, null)).isEqualTo(SettleResult.UNKNOWN_LOCK_TOKEN);
        }

        assertThat(queue.stats()).isEqualTo(before);
        assertThat(complete(queue, c, d.lockToken())).isEqualTo(SettleResult.OK);
    }

    @Test
    void expiredMessagesAreDroppedAtDispatch() {
        queue.enqueue(message("orders", "stale", timer.now() + 10, 0));
        queue.enqueue(message("orders", "fresh", timer.now() + 10_000, 0));
        timer.advance(11);
        TestConsumer c = new TestConsumer("c");

        queue.consumers().add(c, 5);

        assertThat(id(c.take())).isEqualTo("fresh");
        assertThat(c.deliveries).isEmpty();
        assertThat(queue.stats().depth()).isEqualTo(1);
    }

    @Test
    void aMessageWithAFutureDeliveryTimeWaitsUntilItIsDue() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 5);
        queue.enqueue(message("orders", "later", 0, timer.now() + 500));
        queue.enqueue(message("orders", "now", 0, 0));

        assertThat(id(c.take())).isEqualTo("now");
        assertThat(queue.stats().scheduled()).isEqualTo(1);
        timer.advance(499);
        assertThat(c.deliveries).isEmpty();
        timer.advance(1);
        assertThat(id(c.take())).isEqualTo("later");
    }

    @Test
    void removingAConsumerKeepsItsLocksAndReturnAllAbandonsWhatTheApplicationWasHanded() {
        send("m1", "m2", "m3");
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 2);
        Delivery m1 = c.take();
        queue.taken(c, c.take().lockToken());

        assertThat(queue.consumers().remove(c)).isTrue();
        assertThat(queue.stats().locked()).isEqualTo(2);
        assertThat(complete(queue, c, m1.lockToken())).as("locks outlive the consumer").isEqualTo(SettleResult.OK);

        assertThat(queue.returnAll(c, OwnerGone.HEARD)).isEqualTo(1);
        TestConsumer next = new TestConsumer("next");
        queue.consumers().add(next, 5);
        Delivery m2 = next.take();
        assertThat(id(m2)).isEqualTo("m2");
        assertThat(m2.deliveryCount()).isEqualTo(2);
        assertThat(id(next.take())).isEqualTo("m3");
    }

    @Test
    void aRetiredQueueDropsWaitingMessagesAndSettledOnes() {
        send("m1", "m2", "m3");
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 2);
        Delivery m1 = c.take();
        Delivery m2 = c.take();

        queue.retire();
        queue.enqueue(message("orders", "m4"));

        assertThat(queue.stats()).isEqualTo(new QueueStats(0, 2, 0, 2, 0, queue.stats().bytes()));
        assertThat(abandon(queue, c, m1.lockToken())).isEqualTo(SettleResult.OK);
        assertThat(complete(queue, c, m2.lockToken())).isEqualTo(SettleResult.OK);
        assertThat(queue.stats().depth()).isZero();
        assertThat(memory.used()).isZero();
    }

    @Test
    void aLockHeldForCommitCannotExpire() {
        send("m1");
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 2);
        Delivery d = c.take();

        assertThat(queue.holdForCommit(c, d.lockToken())).isEqualTo(SettleResult.OK);
        timer.advance(LOCK * 5);

        assertThat(c.deliveries).isEmpty();
        assertThat(complete(queue, c, d.lockToken())).isEqualTo(SettleResult.OK);
        assertThat(queue.holdForCommit(c, d.lockToken())).isEqualTo(SettleResult.UNKNOWN_LOCK_TOKEN);
    }

    @Test
    void holdingAnExpiredLockForCommitFails() {
        send("m1");
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 2);
        Delivery d = c.take();
        queue.taken(c, d.lockToken());
        timer.moveClockOnly(LOCK + 1);

        assertThat(queue.holdForCommit(c, d.lockToken())).isEqualTo(SettleResult.LOCK_EXPIRED);
        assertThat(c.take().deliveryCount()).isEqualTo(2);
    }

    @Test
    void badConsumerCallsAreRefused() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 0);

        assertThatThrownBy(() -> queue.consumers().add(c, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> queue.consumers().addCredit(c, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.consumers().add(new TestConsumer("x"), -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(queue.consumers().addCredit(new TestConsumer("stranger"), 1)).isFalse();
        assertThat(queue.consumers().remove(new TestConsumer("stranger"))).isFalse();
        assertThatThrownBy(() -> new QueueSettings(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueueSettings(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
