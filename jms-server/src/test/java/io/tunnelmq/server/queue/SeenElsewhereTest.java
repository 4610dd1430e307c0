package io.tunnelmq.server.queue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static io.tunnelmq.server.queue.TestMessages.message;
import static io.tunnelmq.server.queue.TestSettle.abandon;
import static io.tunnelmq.server.queue.TestSettle.complete;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reconnecting consumer names the messages its application saw on its lost connection: each one whose delivery the
 * broker did not count yet comes again flagged redelivered, exactly as if its Settle TAKEN had arrived.
 */
@Timeout(10)
class SeenElsewhereTest {
    private static final long LOCK = 1_000;

    private ManualTimer timer;
    private final RecordedStoreEvents stored = new RecordedStoreEvents();
    private final List<String> dead = new ArrayList<>();
    private PeekLockQueue queue;

    @BeforeEach
    void setUp() {
        timer = new ManualTimer();
        QueueServices services = new QueueServices(timer, new LockTokens(), new MemoryTracker(1 << 30),
                (dlq, m) -> dead.add(m.messageId()), null, stored);
        queue = new PeekLockQueue("q", "DLQ.q", new QueueSettings(LOCK, 3), services);
    }

    @Test
    void anAvailableMessageNamedAsSeenComesRedeliveredAndItsStoredCountIsRaised() {
        queue.enqueue(message("q", "m1"), 11);
        queue.enqueue(message("q", "m2"), 12);

        assertThat(queue.seenElsewhere(List.of("m2", "unknown"))).isEqualTo(1);

        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        assertThat(List.of(c.take(), c.take())).extracting(d -> d.message().messageId() + "@" + d.deliveryCount())
                .as("in its place, count raised").containsExactly("m1@1", "m2@2");
        assertThat(stored.events()).containsExactly("12=2");
    }

    @Test
    void idsAreFoundAvailableLockedOrScheduledAndStillAfterManyArrivalsWithoutALookup() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 1);
        queue.enqueue(message("q", "locked"));
        queue.enqueue(message("q", "available"));
        queue.enqueue(message("q", "scheduled", 0, timer.now() + 60_000));
        var locked = c.take();

        assertThat(queue.seenElsewhere(List.of("available", "scheduled", "unknown"))).isEqualTo(2);
        complete(queue, c, locked.lockToken());
        assertThat(queue.seenElsewhere(List.of("locked"))).as("completed: no longer held").isZero();

        queue.consumers().remove(c);
        queue.returnAll(c, OwnerGone.HEARD);
        for (int i = 0; i <= MessageIdIndex.IDLE_ARRIVALS; i++) {
            queue.enqueue(message("q", "later-" + i)); // the index is dropped for idleness on the way
        }
        assertThat(queue.seenElsewhere(List.of("available", "later-7", "later-" + MessageIdIndex.IDLE_ARRIVALS)))
                .as("found again by a new pass").isEqualTo(3);
    }

    @Test
    void aMessageWhoseSeenLockWasAlreadyAbandonedIsNotCountedTwice() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        queue.enqueue(message("q", "m1"));
        var d = c.take();
        queue.taken(c, d.lockToken());
        queue.consumers().remove(c);
        queue.returnAll(c, OwnerGone.HEARD); // the broker heard the TAKEN: the lost lock was abandoned, count 2

        queue.seenElsewhere(List.of("m1"));

        TestConsumer next = new TestConsumer("next");
        queue.consumers().add(next, 10);
        assertThat(next.take().deliveryCount()).isEqualTo(2);
    }

    @Test
    void aMessageReleasedUnseenWhenItsConnectionWentIsCountedOnce() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        queue.enqueue(message("q", "m1"));
        c.take(); // handed to the application, but its TAKEN was lost with the connection
        queue.consumers().remove(c);
        queue.returnAll(c, OwnerGone.HEARD);

        queue.seenElsewhere(List.of("m1"));
        queue.seenElsewhere(List.of("m1")); // a second reconnect names it again

        TestConsumer next = new TestConsumer("next");
        queue.consumers().add(next, 10);
        assertThat(next.take().deliveryCount()).isEqualTo(2);
    }

    @Test
    void aMessageLockedUnseenByAnotherConsumerIsAbandonedRatherThanReleasedWhenThatLockIsLost() {
        TestConsumer other = new TestConsumer("other");
        queue.consumers().add(other, 10);
        queue.enqueue(message("q", "m1"), 5);
        other.take();

        queue.seenElsewhere(List.of("m1"));
        assertThat(stored.events()).as("as a TAKEN writes it").containsExactly("5=2");
        queue.consumers().remove(other);
        queue.returnAll(other, OwnerGone.HEARD);

        TestConsumer next = new TestConsumer("next");
        queue.consumers().add(next, 10);
        assertThat(next.take().deliveryCount()).isEqualTo(2);
    }

    @Test
    void aRestoredMessageThatWasNeverCountedIsCountedAndOneRestoredRedeliveredIsNot() {
        queue.restore(message("q", "crashed-before-taken"), 1, 1);
        queue.restore(message("q", "taken-was-stored"), 2, 2);

        queue.seenElsewhere(List.of("crashed-before-taken", "taken-was-stored"));

        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        assertThat(List.of(c.take(), c.take())).extracting(d -> d.message().messageId() + "@" + d.deliveryCount())
                .containsExactly("crashed-before-taken@2", "taken-was-stored@2");
    }

    @Test
    void aMessageAtTheMaximumCountIsDeadLetteredAsItsLostSeenLockWouldBe() {
        queue.restore(message("q", "poison"), 3, 3);
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        var d = c.take();
        queue.consumers().remove(c);
        queue.returnAll(c, OwnerGone.HEARD); // unseen: released, count 3

        queue.seenElsewhere(List.of("poison"));

        assertThat(dead).containsExactly("poison");
        assertThat(queue.stats().depth()).isZero();
        assertThat(d.deliveryCount()).isEqualTo(3);
    }

    @Test
    void completedMessagesLeaveTheIndex() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        queue.enqueue(message("q", "m1"));
        assertThat(complete(queue, c, c.take().lockToken())).isEqualTo(SettleResult.OK);

        assertThat(queue.seenElsewhere(List.of("m1"))).isZero();
        queue.enqueue(message("q", "m2"));
        var d = c.take();
        abandon(queue, c, d.lockToken());
        assertThat(queue.seenElsewhere(List.of("m2"))).as("abandoned messages stay held").isEqualTo(1);
    }
}
