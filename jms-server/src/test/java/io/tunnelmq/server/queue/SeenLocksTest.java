package io.tunnelmq.server.queue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static io.tunnelmq.server.queue.TestSettle.abandon;
import static io.tunnelmq.server.queue.TestSettle.complete;
import static io.tunnelmq.server.queue.TestSettle.release;
import static io.tunnelmq.server.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seen state of a lock (Settle TAKEN) decides what losing it means: abandon (count +1, delay, DLQ) once the
 * application was handed the message, release (count unchanged, no delay) before. Also the delivered mark that a
 * crash leaves in the store, and the decline of a consumer whose buffered lock expired.
 */
@Timeout(10)
class SeenLocksTest {
    private static final long LOCK = 1_000;
    private static final long DELAY = 100;

    private ManualTimer timer;
    private final RecordedStoreEvents stored = new RecordedStoreEvents();
    private PeekLockQueue queue;

    @BeforeEach
    void setUp() {
        timer = new ManualTimer();
        QueueServices services = new QueueServices(timer, new LockTokens(), new MemoryTracker(1 << 30),
                (dlq, m) -> { }, null, stored);
        queue = new PeekLockQueue("q", "DLQ.q", new QueueSettings(LOCK, 3, new RedeliveryPolicy(DELAY, 1, DELAY)),
                services);
    }

    @Test
    void anUnseenLockThatExpiresIsReleasedWithItsCountAndItsConsumerDeclinesUntilCredit() {
        TestConsumer buffered = new TestConsumer("buffered");
        queue.consumers().add(buffered, 10);
        queue.enqueue(message("q", "m1"));
        Delivery d = buffered.take();

        timer.advance(LOCK + LockTimers.UNSEEN_GRACE_MILLIS);

        assertThat(buffered.expiredTokens).containsExactly(d.lockToken());
        assertThat(buffered.deliveries).as("not redelivered into the same stale buffer").isEmpty();
        assertThat(queue.consumers().isDeclined(buffered)).isTrue();
        assertThat(queue.stats().available()).as("released at once, no redelivery delay").isEqualTo(1);

        TestConsumer other = new TestConsumer("other");
        queue.consumers().add(other, 10);
        Delivery again = other.take();
        assertThat(again.deliveryCount()).as("nobody saw it").isEqualTo(1);

        queue.consumers().addCredit(buffered, 1);
        assertThat(queue.consumers().isDeclined(buffered)).isFalse();
    }

    @Test
    void aSeenLockThatExpiresIsAbandonedAndItsConsumerDoesNotDecline() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        queue.enqueue(message("q", "m1"));
        Delivery d = c.take();
        assertThat(queue.taken(c, d.lockToken())).isTrue();

        timer.advance(LOCK);
        assertThat(queue.consumers().isDeclined(c)).isFalse();
        assertThat(queue.stats().scheduled()).as("waits out the redelivery delay").isEqualTo(1);
        timer.advance(DELAY);
        assertThat(c.take().deliveryCount()).isEqualTo(2);
    }

    @Test
    void aNewLockStartsUnseen() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        queue.enqueue(message("q", "m1"));
        Delivery first = c.take();
        queue.taken(c, first.lockToken());
        abandon(queue, c, first.lockToken());
        timer.advance(DELAY);
        Delivery second = c.take();
        assertThat(second.deliveryCount()).isEqualTo(2);

        timer.advance(LOCK + LockTimers.UNSEEN_GRACE_MILLIS); // unseen this time: released, count kept

        TestConsumer other = new TestConsumer("other");
        queue.consumers().add(other, 10);
        assertThat(other.take().deliveryCount()).isEqualTo(2);
    }

    @Test
    void whenTheOwnerGoesSeenLocksAreAbandonedAndUnseenOnesReleasedInDeliveryOrder() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        for (String id : List.of("m1", "m2", "m3", "m4")) {
            queue.enqueue(message("q", id));
        }
        List<Delivery> held = List.of(c.take(), c.take(), c.take(), c.take());
        queue.taken(c, held.get(1).lockToken());
        queue.taken(c, held.get(3).lockToken());
        queue.consumers().remove(c);

        assertThat(queue.returnAll(c, OwnerGone.HEARD)).isEqualTo(4);

        TestConsumer next = new TestConsumer("next");
        queue.consumers().add(next, 10);
        assertThat(List.of(next.take(), next.take())).extracting(d -> d.message().messageId() + "@" + d.deliveryCount())
                .as("released: at once, in order, count kept").containsExactly("m1@1", "m3@1");
        assertThat(next.deliveries).as("abandoned ones wait out the delay").isEmpty();
        timer.advance(DELAY);
        assertThat(List.of(next.take(), next.take())).extracting(d -> d.message().messageId() + "@" + d.deliveryCount())
                .containsExactly("m2@2", "m4@2");
    }

    @Test
    void aSeenLockAtTheMaximumCountIsDeadLetteredWhenTheOwnerGoes() {
        List<String> dead = new ArrayList<>();
        PeekLockQueue strict = new PeekLockQueue("s", "DLQ.s", new QueueSettings(LOCK, 1),
                new QueueServices(timer, new LockTokens(), new MemoryTracker(1 << 30),
                        (dlq, m) -> dead.add(m.messageId())));
        TestConsumer c = new TestConsumer("c");
        strict.consumers().add(c, 10);
        strict.enqueue(message("s", "seen"));
        strict.enqueue(message("s", "unseen"));
        strict.taken(c, c.take().lockToken());
        c.take();
        strict.consumers().remove(c);

        strict.returnAll(c, OwnerGone.HEARD);

        assertThat(dead).containsExactly("seen");
        assertThat(strict.stats().available()).isEqualTo(1);
    }

    @Test
    void theFirstTakenOfAStoredMessageWritesTheRaisedCountOnceAndAbandonDoesNotWriteItAgain() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        queue.enqueue(message("q", "m1"), 42);
        Delivery d = c.take();

        queue.taken(c, d.lockToken());
        queue.taken(c, d.lockToken());
        assertThat(stored.events()).containsExactly("42=2");

        abandon(queue, c, d.lockToken());
        assertThat(stored.events()).as("count 2 is stored already").containsExactly("42=2");
        timer.advance(DELAY);
        Delivery again = c.take();
        assertThat(again.deliveryCount()).isEqualTo(2);

        queue.taken(c, again.lockToken());
        assertThat(stored.events()).containsExactly("42=2", "42=3");
    }

    @Test
    void anUnseenStoredMessageWritesNothingAndAReleaseAfterTakenPutsTheCountBack() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        queue.enqueue(message("q", "m1"), 7);
        Delivery d = c.take();
        release(queue, c, d.lockToken());
        assertThat(stored.events()).isEmpty();

        Delivery again = c.take();
        queue.taken(c, again.lockToken());
        release(queue, c, again.lockToken());
        assertThat(stored.events()).containsExactly("7=2", "7=1");
    }

    @Test
    void aRestoredCountIsNotWrittenAgain() {
        TestConsumer c = new TestConsumer("c");
        queue.restore(message("q", "m1"), 9, 2);
        queue.consumers().add(c, 10);
        Delivery d = c.take();
        assertThat(d.deliveryCount()).as("back from a crash after it was handed out").isEqualTo(2);
        queue.taken(c, d.lockToken());
        abandon(queue, c, d.lockToken());
        assertThat(stored.events()).containsExactly("9=3");
    }

    @Test
    void takenIgnoresTokensTheOwnerDoesNotHold() {
        TestConsumer c = new TestConsumer("c");
        TestConsumer stranger = new TestConsumer("stranger");
        queue.consumers().add(c, 10);
        queue.enqueue(message("q", "m1"));
        Delivery d = c.take();

        assertThat(queue.taken(stranger, d.lockToken())).isFalse();
        assertThat(queue.taken(c, 123_456)).isFalse();
        timer.advance(LOCK + LockTimers.UNSEEN_GRACE_MILLIS);
        assertThat(queue.stats().available()).as("still unseen: released").isEqualTo(1);
    }

    @Test
    void anyCreditEndsADecline() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        for (int round = 0; round < 3; round++) {
            queue.enqueue(message("q", "m" + round));
            c.take();
            timer.advance(LOCK + LockTimers.UNSEEN_GRACE_MILLIS);
            assertThat(queue.consumers().isDeclined(c)).isTrue();
            switch (round) {
                case 0 -> queue.consumers().addCredit(c, 1);
                case 1 -> queue.consumers().setCredit(c, 5, 0);
                default -> queue.consumers().waiting(c);
            }
            assertThat(queue.consumers().isDeclined(c)).isFalse();
            Delivery back = c.take(); // the released message comes back to it now
            assertThat(complete(queue, c, back.lockToken())).isEqualTo(SettleResult.OK);
        }
    }

    @Test
    void aLockThatExpiresAfterItsClientSaidWaitingDeclinesNothing() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        queue.enqueue(message("q", "m1"));
        Delivery d = c.take();
        // the client judged the lock lost by its own clock a moment early, dropped the message and now waits
        queue.consumers().waiting(c);

        timer.advance(LOCK + LockTimers.UNSEEN_GRACE_MILLIS);

        assertThat(c.expiredTokens).containsExactly(d.lockToken());
        assertThat(queue.consumers().isDeclined(c)).as("its buffer no longer holds the message: not a stale buffer")
                .isFalse();
        assertThat(c.take().deliveryCount()).as("released, comes back to the waiting consumer unseen").isEqualTo(1);
    }

    @Test
    void anUnseenLockOutlivesItsExpiryByAGraceSoAHandOutJustBeforeItCountsAsSeen() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        queue.enqueue(message("q", "m1"));
        Delivery d = c.take();

        timer.advance(LOCK);
        assertThat(c.expiredTokens).as("unseen: the notice of a hand-out may still be on its way").isEmpty();
        // the client handed it out just before the lock ended by its clock; the notice arrives within the grace
        assertThat(queue.taken(c, d.lockToken())).isTrue();

        assertThat(c.expiredTokens).as("seen and over: expired at once").containsExactly(d.lockToken());
        queue.consumers().remove(c);
        timer.advance(DELAY);
        TestConsumer other = new TestConsumer("other");
        queue.consumers().add(other, 10);
        assertThat(other.take().deliveryCount()).as("the application had it: a redelivery").isEqualTo(2);
    }

    @Test
    void anUnseenLockIsReleasedOnceItsGraceIsOver() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        queue.enqueue(message("q", "m1"));
        Delivery d = c.take();

        timer.advance(LOCK + LockTimers.UNSEEN_GRACE_MILLIS - 1);
        assertThat(c.expiredTokens).isEmpty();
        timer.advance(1);
        assertThat(c.expiredTokens).containsExactly(d.lockToken());
        assertThat(queue.stats().available()).as("released at once, count kept").isEqualTo(1);
    }
}
