package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.queue.TestSettle.abandon;
import static io.tunnelmq.server.queue.TestSettle.complete;
import static org.assertj.core.api.Assertions.assertThat;

/** Messages past a queue's memory are paged out and come back in order, for every way a queue hands them on. */
@Timeout(20)
class PagingTest {
    /** The queue pages past this much heap: a handful of 1 KiB messages. */
    private static final long QUEUE_LIMIT = 16 * 1024;
    private static final int BODY = 1024;

    private final ManualTimer timer = new ManualTimer();
    private final MemoryPages pages = new MemoryPages();
    private final List<WireMessage> expiredMoves = new CopyOnWriteArrayList<>();
    private final MemoryTracker broker = new MemoryTracker(1L << 30);
    private PeekLockQueue queue;
    private long nextStoreId;

    @BeforeEach
    void setUp() {
        QueueServices services = new QueueServices(timer, new LockTokens(), broker,
                (dlq, m) -> expiredMoves.add(m), "ExpiryQueue", StoredMessageEvents.NONE, pages);
        queue = new PeekLockQueue("q", "DLQ.q", new QueueSettings(60_000, 5), services, QUEUE_LIMIT);
    }

    @AfterEach
    void tearDown() {
        pages.close();
    }

    @Test
    void aBacklogPastTheLimitIsPagedOutAndComesBackInOrder() throws Exception {
        for (int i = 0; i < 1_000; i++) {
            enqueue(message("m" + i, 4, 0, 0), i % 2 == 0);
        }
        QueueStats stats = queue.stats();
        assertThat(stats.available()).isEqualTo(1_000);
        assertThat(stats.pagedOut()).isGreaterThan(950);
        assertThat(queue.memory().used()).isLessThanOrEqualTo(QUEUE_LIMIT);
        assertThat(broker.used()).as("paged-out entries stay small").isLessThan(1_000L * 400 + QUEUE_LIMIT);

        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Delivery d = c.await();
            assertThat(d.message().body()).hasSize(BODY);
            got.add(d.message().messageId());
            assertThat(complete(queue, c, d.lockToken())).isEqualTo(SettleResult.OK);
            queue.consumers().addCredit(c, 1);
            assertThat(queue.memory().used()).as("read-ahead stays bounded")
                    .isLessThan(QUEUE_LIMIT + PageIn.BATCH_BYTES + 64 * 1024);
        }
        assertThat(got).isEqualTo(ids("m", 1_000));
        assertThat(queue.stats().depth()).isZero();
        assertThat(queue.stats().pagedOut()).isZero();
        assertThat(pages.pages).as("every page freed").isEmpty();
        assertThat(queue.memory().used()).isZero();
        assertThat(broker.used()).isZero();
        assertThat(pages.largestRead.get()).as("read in batches").isGreaterThan(1).isLessThanOrEqualTo(
                PageIn.BATCH_MESSAGES);
    }

    @Test
    void pagedMessagesKeepPriorityOrder() throws Exception {
        for (int i = 0; i < 300; i++) {
            enqueue(message("p" + (i % 3 == 0 ? 9 : 1) + "-" + i, i % 3 == 0 ? 9 : 1, 0, 0), false);
        }
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 300);
        List<Integer> priorities = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            priorities.add(c.await().message().priority());
        }
        assertThat(priorities.subList(0, 100)).containsOnly(9);
        assertThat(priorities.subList(100, 300)).containsOnly(1);
    }

    @Test
    void anAbandonedPagedInMessageComesBackRedelivered() throws Exception {
        for (int i = 0; i < 100; i++) {
            enqueue(message("m" + i, 4, 0, 0), true);
        }
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 1);
        Delivery first = c.await();
        assertThat(abandon(queue, c, first.lockToken())).isEqualTo(SettleResult.OK);
        queue.consumers().addCredit(c, 1);
        Delivery again = c.await();
        assertThat(again.message().messageId()).isEqualTo("m0");
        assertThat(again.deliveryCount()).isEqualTo(2);
    }

    @Test
    void aSelectorScansTheBacklogWithoutPagingItIn() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            enqueue(message("m" + i, 4, 0, 0, Map.of("k", i % 100)), i % 2 == 0);
        }
        TestConsumer c = TestConsumer.selecting("c", "k = 7");
        queue.consumers().add(c, 100);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Delivery d = c.await();
            got.add(d.message().messageId());
            complete(queue, c, d.lockToken());
            assertThat(queue.memory().used()).as("what nobody selects goes back to disk")
                    .isLessThan(QUEUE_LIMIT + 2 * PageIn.BATCH_BYTES + 64 * 1024);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 7; i < 2_000; i += 100) {
            expected.add("m" + i);
        }
        assertThat(got).isEqualTo(expected);
        assertThat(queue.stats().available()).isEqualTo(1_980);
        assertThat(queue.stats().pagedOut()).isGreaterThan(1_900);
    }

    @Test
    void expiredPagedMessagesAreReadBackAndMovedToTheExpiryQueue() throws Exception {
        long soon = timer.now() + 5_000;
        for (int i = 0; i < 100; i++) {
            enqueue(message("m" + i, 4, i < 50 ? soon : 0, 0), i % 2 == 0);
        }
        timer.advance(10_000);
        queue.sweepExpired(); // the timer ran one already; a second finds nothing more
        eventually("50 expired moves", Duration.ofSeconds(10), () -> expiredMoves.size() == 50);
        assertThat(expiredMoves).allSatisfy(m -> {
            assertThat(m.body()).hasSize(BODY);
            assertThat(m.destination().name()).isEqualTo("ExpiryQueue");
        });
        assertThat(queue.stats().available()).isEqualTo(50);
    }

    @Test
    void aDelayedPagedMessageIsDeliveredWhenDue() throws Exception {
        for (int i = 0; i < 100; i++) {
            enqueue(message("m" + i, 4, 0, 0), false);
        }
        enqueue(message("late", 4, 0, timer.now() + 1_000), false);
        assertThat(queue.stats().scheduled()).isEqualTo(1);
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 200);
        for (int i = 0; i < 100; i++) {
            complete(queue, c, c.await().lockToken());
        }
        timer.advance(1_000);
        Delivery late = c.await();
        assertThat(late.message().messageId()).isEqualTo("late");
        assertThat(late.message().body()).hasSize(BODY);
    }

    @Test
    void browsingReadsPagedMessagesBackWithoutPagingThemIn() {
        for (int i = 0; i < 500; i++) {
            enqueue(message("m" + i, 4, 0, 0), i % 2 == 0);
        }
        long pagedBefore = queue.stats().pagedOut();
        List<String> seen = new ArrayList<>();
        long cursor = 0;
        do {
            BrowsePage page = queue.browse(m -> true, cursor, 0, 100);
            page.messages().forEach(m -> {
                assertThat(m.body()).hasSize(BODY);
                seen.add(m.messageId());
            });
            cursor = page.end() ? 0 : page.next();
            if (page.end()) {
                break;
            }
        } while (true);
        assertThat(seen).isEqualTo(ids("m", 500));
        assertThat(queue.stats().pagedOut()).isEqualTo(pagedBefore);
    }

    @Test
    void takingPagedMessagesForAMoveFreesTheirPages() throws Exception {
        for (int i = 0; i < 300; i++) {
            enqueue(message("m" + i, 4, 0, 0), false);
        }
        HeldPage taken = queue.take(m -> true, 0, 300);
        assertThat(taken.messages()).hasSize(300);
        assertThat(taken.messages()).allSatisfy(h -> assertThat(h.message().body()).hasSize(BODY));
        assertThat(queue.stats().depth()).isZero();
        eventually("pages freed", Duration.ofSeconds(10), () -> pages.pages.isEmpty());
    }

    @Test
    void aConsumerBackToABacklogDoesNotHoldTheProducersButOneThatKeepsUpPacesThem() throws Exception {
        long lag = 4 * 1024;
        MemoryTracker lagging = new MemoryTracker(1L << 30, lag);
        PeekLockQueue q = new PeekLockQueue("lag", "DLQ.lag", new QueueSettings(60_000, 5),
                new QueueServices(timer, new LockTokens(), lagging, (dlq, m) -> { }, null, StoredMessageEvents.NONE,
                        pages), QUEUE_LIMIT);
        for (int i = 0; i < 100; i++) {
            q.enqueue(message("m" + i, 4, 0, 0)); // the consumer is away: a backlog
        }
        TestConsumer c = new TestConsumer("c");
        q.consumers().add(c, 0); // it comes back
        assertThat(q.memory().limit()).as("a backlog from before: producers go on, new messages page out behind it")
                .isEqualTo(1L << 30);
        long paged = q.stats().pagedOut();
        q.enqueue(message("m100", 4, 0, 0));
        assertThat(q.stats().pagedOut()).isEqualTo(paged + 1);
        q.consumers().addCredit(c, 1);
        for (int i = 0; i <= 100; i++) {
            Delivery d = c.await();
            assertThat(d.message().messageId()).isEqualTo("m" + i);
            complete(q, c, d.lockToken());
            q.consumers().addCredit(c, 1);
        }
        assertThat(q.stats().depth()).isZero();
        assertThat(q.memory().limit()).as("no backlog: producers faster than the consumer are paced again")
                .isEqualTo(lag);
    }

    @Test
    void aBrowseSkippingFarIntoAPagedBacklogReadsItInGrowingBatches() {
        for (int i = 0; i < 3_000; i++) {
            enqueue(message("m" + i, 4, 0, 0), i % 2 == 0);
        }
        assertThat(queue.stats().pagedOut()).isGreaterThan(2_900);
        int readsBefore = pages.reads.get();

        // a peer that pages by offset (no cursor): the walk skips 2,990 messages, every one read back to be counted
        BrowsePage page = queue.browse(m -> true, 0, 2_990, 5);
        assertThat(page.messages()).extracting(WireMessage::messageId).containsExactly("m2990", "m2991", "m2992",
                "m2993", "m2994");
        assertThat(pages.reads.get() - readsBefore).as("stops double their read-ahead: not 3,000 / 64")
                .isLessThanOrEqualTo(8);
        assertThat(pages.largestRead.get()).isLessThanOrEqualTo(Bodies.MAX_READ_AHEAD);

        BrowsePage none = queue.browse(m -> m.messageId().equals("m2999"), 0, 0, 5);
        assertThat(none.messages()).extracting(WireMessage::messageId).containsExactly("m2999");
    }

    @Test
    void aPagedOutMessageNamedAsSeenOnItsLastDeliveryIsReadBackAndDeadLettered() throws Exception {
        QueueServices services = new QueueServices(timer, new LockTokens(), broker,
                (dlq, m) -> expiredMoves.add(m), "ExpiryQueue", StoredMessageEvents.NONE, pages);
        PeekLockQueue once = new PeekLockQueue("q", "DLQ.q", new QueueSettings(60_000, 1), services, QUEUE_LIMIT);
        for (int i = 0; i < 100; i++) {
            long id = ++nextStoreId;
            WireMessage m = message("m" + i, 4, 0, 0);
            pages.stored.put(id, m);
            once.restore(m, id, 1); // recovered after a restart, its delivery before the crash never counted
        }
        assertThat(once.stats().pagedOut()).as("the later ones are paged out").isGreaterThan(50);

        // a consumer reconnecting from the old broker: its application saw m99, the one delivery it may have
        assertThat(once.seenElsewhere(List.of("m99"))).isEqualTo(1);

        eventually("read back and moved to the dead-letter queue", Duration.ofSeconds(5),
                () -> expiredMoves.size() == 1);
        WireMessage dead = expiredMoves.get(0);
        assertThat(dead.messageId()).isEqualTo("m99");
        assertThat(dead.destination().name()).isEqualTo("DLQ.q");
        assertThat(dead.body()).hasSize(BODY);
        assertThat(once.stats().depth()).isEqualTo(99);
    }

    private void enqueue(WireMessage m, boolean stored) {
        if (stored) {
            long id = ++nextStoreId;
            pages.stored.put(id, m);
            queue.enqueue(m, id);
        } else {
            queue.enqueue(m);
        }
    }

    private static List<String> ids(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    private static WireMessage message(String id, int priority, long expiration, long deliveryTime) {
        return message(id, priority, expiration, deliveryTime, Map.of());
    }

    private static WireMessage message(String id, int priority, long expiration, long deliveryTime,
                                       Map<String, Object> properties) {
        return new WireMessage(WireDestination.queue("q"), id, 0, null, null, null, false, priority, expiration,
                deliveryTime, properties, BodyType.BYTES, new byte[BODY]);
    }
}
