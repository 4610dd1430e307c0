package io.tunnelmq.server.cluster;

import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.BrokerFixture;
import io.tunnelmq.server.queue.Delivery;
import io.tunnelmq.server.queue.LockTokens;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.queue.OwnerGone;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.queue.QueueServices;
import io.tunnelmq.server.queue.QueueSettings;
import io.tunnelmq.server.queue.TestConsumer;
import io.tunnelmq.server.queue.WheelTimer;
import io.tunnelmq.server.store.StoredQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two brokers' queues fed from one shared backlog: a queue claims what its consumers can take, competing consumers
 * on both brokers each get their own messages, and what a broker holds with nobody to take it goes back.
 */
@Timeout(20)
class ClaimFeedTest {
    private static final StoredQueue KEY = StoredQueue.queue("q");

    private final WheelTimer timer = new WheelTimer();
    private final SharedQueuesInMemory.Rows rows = new SharedQueuesInMemory.Rows();
    private final Broker a = new Broker("A");
    private final Broker b = new Broker("B");

    @AfterEach
    void tearDown() {
        a.feeds.close();
        b.feeds.close();
        timer.close();
    }

    @Test
    void aMessageStoredThroughOneBrokerIsClaimedByTheOtherOnesConsumer() throws Exception {
        TestConsumer onB = b.consumer("onB", 10);
        a.send("m1");
        a.send("m2");

        assertThat(onB.await().message().messageId()).isEqualTo("m1");
        assertThat(onB.await().message().messageId()).isEqualTo("m2");
        assertThat(a.queue.stats().available()).as("nothing held on A").isZero();
        assertThat(rows.count("B")).isEqualTo(2);
    }

    @Test
    void competingConsumersOnTwoBrokersEachGetTheirOwnMessages() throws Exception {
        TestConsumer onA = a.consumer("onA", 1);
        TestConsumer onB = b.consumer("onB", 1);
        for (int i = 0; i < 4; i++) {
            a.send("m" + i);
        }
        Delivery first = onA.await();
        Delivery second = onB.await();
        assertThat(first.message().messageId()).isNotEqualTo(second.message().messageId());
        assertThat(rows.count(null)).as("the rest waits unclaimed").isEqualTo(2);

        complete(a.queue, onA, first);
        assertThat(onA.await().message().messageId()).isIn("m2", "m3");
    }

    @Test
    void whatABrokerHoldsWithNobodyToTakeItGoesBackToTheOthers() throws Exception {
        TestConsumer onB = b.consumer("onB", 3);
        for (int i = 0; i < 3; i++) {
            a.send("m" + i);
        }
        Delivery seen = onB.await();
        onB.await();
        onB.await();
        // the application saw m0 (abandon raises the count); the others come back unseen
        b.queue.settle(onB, seen.lockToken(), SettleOutcome.ABANDON, null);
        b.queue.returnAll(onB, OwnerGone.HEARD);
        b.queue.consumers().remove(onB);

        TestConsumer onA = a.consumer("onA", 10);
        List<String> got = new ArrayList<>();
        int[] counts = new int[3];
        for (int i = 0; i < 3; i++) {
            Delivery d = onA.await();
            got.add(d.message().messageId());
            counts[i] = d.deliveryCount();
        }
        assertThat(got).containsExactly("m0", "m1", "m2");
        assertThat(counts).containsExactly(2, 1, 1);
        assertThat(b.queue.stats().available()).isZero();
    }

    @Test
    void prefetchOneBrokerHoldsUnseenGoesToAnotherBrokersStarvingConsumer() throws Exception {
        TestConsumer onA = a.consumer("onA", 10);
        onA.releasingTo(a.queue);
        for (int i = 0; i < 4; i++) {
            a.send("m" + i);
        }
        for (int i = 0; i < 4; i++) {
            onA.await(); // prefetched on A, none taken by the application
        }
        TestConsumer onB = b.consumer("onB", 10); // finds nothing: tells A it starves, A revokes the newest half
        List<Delivery> got = List.of(onB.await(), onB.await());
        assertThat(got).extracting(d -> d.message().messageId()).containsExactly("m2", "m3");
        assertThat(got).extracting(Delivery::deliveryCount).as("unseen: the count did not grow").containsOnly(1);
        assertThat(a.queue.stats().locked()).isEqualTo(2);
    }

    @Test
    void aBrokerAboutToBeFencedDeliversNothingItClaimedAndClaimsNoMore() throws Exception {
        a.store.holdClaims();
        a.send("m0");
        a.send("m1");
        a.consumer("onA", 10); // claims both; the claim is in flight
        a.store.stopServing(); // meanwhile its heartbeat went silent too long
        a.store.completeHeldClaim();
        BrokerFixture.eventually("the claimed messages are held", Duration.ofSeconds(5),
                () -> a.queue.stats().available() == 2);
        assertThat(a.queue.stats().locked()).as("delivered after it stopped serving").isZero();
        a.send("m2");
        assertThat(a.store.claimsHeld()).as("claims after it stopped serving").isZero();
    }

    @Test
    void aSelectorFindsTheFewMessagesItSelectsBehindManyItDoesNot() throws Exception {
        for (int i = 0; i < 300; i++) {
            a.send("blue" + i, "blue");
        }
        a.send("red", "red");
        TestConsumer red = TestConsumer.selecting("red", "color = 'red'");
        b.queue.consumers().add(red, 5);
        assertThat(red.await().message().messageId()).isEqualTo("red");
        assertThat(b.queue.stats().available()).as("the blue ones went back").isLessThanOrEqualTo(64);

        TestConsumer any = new TestConsumer("any");
        b.queue.consumers().add(any, 10); // the consumers changed: what B declined is claimable by B again
        for (int i = 0; i < 10; i++) {
            assertThat(any.await().message().messageId()).startsWith("blue");
        }
    }

    @Test
    void whatIsUndeclinedWhileAClaimIsInFlightIsClaimedAfterIt() throws Exception {
        b.store.holdClaims();
        a.send("blue", "blue");
        b.queue.consumers().add(TestConsumer.selecting("red", "color = 'red'"), 1);
        b.store.completeHeldClaim(); // blue: red does not select it, so B declines it; B's next claim passes it by

        TestConsumer any = b.consumer("any", 1); // blue is undeclined while that claim is in flight
        b.store.completeHeldClaim(); // it passed blue by: B must claim again at once, not at the next safety poll
        b.store.completeHeldClaim();
        assertThat(any.await().message().messageId()).isEqualTo("blue");
    }

    @Test
    void aClaimTakesNoMoreThanTheConsumersCanTake() throws Exception {
        for (int i = 0; i < 200; i++) {
            a.send("m" + i);
        }
        TestConsumer onB = b.consumer("onB", 5);
        for (int i = 0; i < 5; i++) {
            onB.await();
        }
        assertThat(rows.count("B")).isLessThanOrEqualTo(5 + 64);
        assertThat(rows.count(null)).isGreaterThanOrEqualTo(200 - 5 - 64);
    }

    @Test
    void aPurgeTakesWhatNoBrokerHoldsAndEachBrokerDropsWhatItClaimedButNotWhatItsConsumersHold() throws Exception {
        for (int i = 0; i < 200; i++) {
            a.send("m" + i);
        }
        TestConsumer onB = b.consumer("onB", 5);
        List<Delivery> taken = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            taken.add(onB.await());
        }
        for (Delivery d : taken.subList(0, 2)) { // waiting on B again, for a consumer without credit
            b.queue.settle(onB, d.lockToken(), SettleOutcome.ABANDON, null);
        }
        assertThat(waiting(b.queue)).isGreaterThanOrEqualTo(2);
        int unclaimed = rows.count(null);

        assertThat(a.feeds.purge(KEY).get()).isEqualTo(unclaimed);
        BrokerFixture.eventually("B drops what it claimed", Duration.ofSeconds(10), () -> waiting(b.queue) == 0);
        assertThat(b.queue.stats().locked()).as("its consumer's messages stay").isEqualTo(3);
        assertThat(rows.count(null)).isZero();
    }

    @Test
    void aPurgeHeardLateLeavesWhatWasLockedWhenItWasTakenEvenIfItWaitsAgainByThen() throws Exception {
        for (int i = 0; i < 10; i++) {
            a.send("m" + i);
        }
        TestConsumer onB = b.consumer("onB", 3);
        List<Delivery> taken = List.of(onB.await(), onB.await(), onB.await());
        for (Delivery d : taken.subList(0, 2)) { // waiting on B again before the purge, for a consumer without credit
            b.queue.settle(onB, d.lockToken(), SettleOutcome.ABANDON, null);
        }
        Delivery locked = taken.get(2);
        b.store.deaf();

        a.feeds.purge(KEY).get();
        b.queue.settle(onB, locked.lockToken(), SettleOutcome.ABANDON, null); // after the purge, before B hears it
        assertThat(waiting(b.queue)).as("the three abandoned, and what B claimed ahead").isGreaterThanOrEqualTo(3);
        b.store.hearAgain();

        BrokerFixture.eventually("B drops what waited at the purge", Duration.ofSeconds(10),
                () -> waiting(b.queue) == 1);
        assertThat(b.queue.browse(m -> true, 0, 0, 10).messages()).extracting(WireMessage::messageId)
                .containsExactly(locked.message().messageId());
    }

    @Test
    void thePurgingBrokerDropsWhatWaitedBeforeItWasAskedHoweverEarlyTheStoreNamesThePurge() throws Exception {
        rows.namePurgesEarly(TimeUnit.SECONDS.toNanos(10));
        for (int i = 0; i < 10; i++) {
            a.send("m" + i);
        }
        TestConsumer onA = a.consumer("onA", 3);
        List<Delivery> taken = List.of(onA.await(), onA.await(), onA.await());
        for (Delivery d : taken.subList(0, 2)) { // waiting on A again, for a consumer without credit
            a.queue.settle(onA, d.lockToken(), SettleOutcome.ABANDON, null);
        }

        a.feeds.purge(KEY).get();

        assertThat(waiting(a.queue)).as("dropped before the purge answered").isZero();
        assertThat(a.queue.stats().locked()).isEqualTo(1);
    }

    @Test
    void aPurgeDropsWhatTheBrokerClaimedBeforeItWhenTheClaimComesBackAfterIt() throws Exception {
        for (int i = 0; i < 10; i++) {
            a.send("m" + i);
        }
        b.store.holdClaims();
        TestConsumer onB = b.consumer("onB", 3);
        BrokerFixture.eventually("B's claim took its rows", Duration.ofSeconds(10), () -> b.store.claimsHeld() == 1);
        assertThat(rows.count("B")).isEqualTo(3);

        assertThat(b.feeds.purge(KEY).get()).as("what no broker held").isEqualTo(7);
        b.store.completeHeldClaim(); // committed before the purge, back after it

        assertThat(b.queue.stats().locked() + waiting(b.queue)).as("none of the claim reached the queue").isZero();
        assertThat(b.dropped).as("removed from the store").hasSize(3);
        b.store.stopHolding();
        a.send("after");
        assertThat(onB.await().message().messageId()).as("what came after the purge is claimed as before")
                .isEqualTo("after");
    }

    @Test
    void aMessageLockedAtAPurgeThenHandedBackAndClaimedAgainStays() throws Exception {
        a.send("m0");
        TestConsumer onB = b.consumer("onB", 1);
        Delivery locked = onB.await();

        b.feeds.purge(KEY).get(); // B purges: it names m0 under its claim before this returns
        b.queue.settle(onB, locked.lockToken(), SettleOutcome.ABANDON, null); // after the purge: it stays
        b.queue.consumers().remove(onB); // nobody here takes it: it goes back to the store
        BrokerFixture.eventually("B handed it back", Duration.ofSeconds(10), () -> rows.count(null) == 1);

        TestConsumer again = b.consumer("again", 1);
        Delivery d = again.await();
        assertThat(d.message().messageId()).as("a new claim, not the one the purge named").isEqualTo("m0");
        assertThat(b.dropped).isEmpty();
    }

    @Test
    void aMessageLockedElsewhereAtAPurgeAndClaimedBeforeThePurgeIsHeardStays() throws Exception {
        a.send("early", "red");
        b.store.holdClaims();
        waitingOnB(TestConsumer.selecting("red", "color = 'red'"), 1); // claimed before the purge
        a.send("late", "blue");
        TestConsumer onA = a.consumer("onA", 1);
        Delivery late = onA.await();
        b.store.deaf();

        a.feeds.purge(KEY).get(); // "late" is locked on A: it stays
        a.queue.settle(onA, late.lockToken(), SettleOutcome.ABANDON, null);
        a.queue.consumers().remove(onA); // A hands it back
        BrokerFixture.eventually("A handed it back", Duration.ofSeconds(10), () -> rows.count(null) == 1);
        waitingOnB(TestConsumer.selecting("blue", "color = 'blue'"), 2); // claimed after the purge (one more than waits)
        b.store.hearAgain();

        BrokerFixture.eventually("B drops what it claimed before the purge", Duration.ofSeconds(10),
                () -> b.queue.figures().totals().purged() == 1);
        assertThat(b.queue.browse(m -> true, 0, 0, 10).messages()).extracting(WireMessage::messageId)
                .as("locked on A when the purge was taken").containsExactly("late");
    }

    @Test
    void aMessageWaitingOnABrokerDeafToAPurgeIsRemovedWhenItIsHandedBackAfterIt() throws Exception {
        a.send("m0");
        b.store.holdClaims();
        TestConsumer onB = new TestConsumer("onB");
        waitingOnB(onB, 1); // waits on B since before the purge
        b.store.deaf();
        a.feeds.purge(KEY).get(); // B holds it: the purge passes it by
        a.send("after");

        b.queue.consumers().remove(onB); // B hands it back before it hears of the purge
        BrokerFixture.eventually("what B held went with its hand-back", Duration.ofSeconds(10),
                () -> rows.count("B") == 0 && rows.count(null) == 1);
        b.store.hearAgain();
        TestConsumer onA = a.consumer("onA", 5);
        assertThat(onA.await().message().messageId()).isEqualTo("after");
    }

    /**
     * A consumer on B with {@code credit} makes B claim one message (what B holds waiting counts against it); the
     * claim, held, comes back once the consumer takes no more.
     */
    private void waitingOnB(TestConsumer consumer, int credit) throws InterruptedException {
        b.queue.consumers().add(consumer, credit);
        BrokerFixture.eventually("B's claim took its row", Duration.ofSeconds(10), () -> b.store.claimsHeld() == 1);
        b.queue.consumers().setCredit(consumer, 0, 0);
        b.store.completeHeldClaim();
    }

    /** One broker's view: its queue, fed from the shared rows. */
    private final class Broker {
        final SharedQueuesInMemory store;
        final ClaimFeeds feeds;
        final PeekLockQueue queue;
        /** The store ids this broker removed as it claimed them. */
        final List<Long> dropped = new CopyOnWriteArrayList<>();

        Broker(String id) {
            store = new SharedQueuesInMemory(rows, id);
            feeds = new ClaimFeeds(store, timer, dropped::add);
            queue = new PeekLockQueue("q", "DLQ.q", new QueueSettings(60_000, 5),
                    new QueueServices(timer, new LockTokens(), new MemoryTracker(1L << 30), (dlq, m) -> { }));
            feeds.share(queue, KEY);
        }

        void send(String id) {
            send(id, "none");
        }

        void send(String id, String color) {
            WireMessage m = new WireMessage(WireDestination.queue("q"), id, 0, null, null, null, false, 4, 0, 0,
                    Map.of("color", color), BodyType.TEXT, id.getBytes(StandardCharsets.UTF_8));
            queue.enqueue(m, rows.add(KEY, m));
        }

        TestConsumer consumer(String name, int credit) {
            TestConsumer c = new TestConsumer(name);
            queue.consumers().add(c, credit);
            return c;
        }
    }

    private static long waiting(PeekLockQueue queue) {
        return queue.stats().available() + queue.stats().scheduled();
    }

    private static void complete(PeekLockQueue queue, TestConsumer consumer, Delivery d) {
        queue.settle(consumer, d.lockToken(), SettleOutcome.COMPLETE, null);
        queue.consumers().addCredit(consumer, 1);
    }
}
