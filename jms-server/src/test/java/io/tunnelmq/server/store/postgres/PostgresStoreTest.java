package io.tunnelmq.server.store.postgres;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoreException;
import io.tunnelmq.server.store.StoreOp;
import io.tunnelmq.server.store.StoreVisitor;
import io.tunnelmq.server.store.StoredQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The PostgreSQL store against a real PostgreSQL, as one broker: atomic batches, group commit, recovery, claims of
 * what was stored, reads, identity, outages ({@link PostgresClusterTest}: several brokers).
 */
@Timeout(60)
class PostgresStoreTest {
    private static final StoredQueue ORDERS = StoredQueue.queue("orders");

    private final PostgresSettings db = PostgresFixture.newDatabase();
    private final List<PostgresStore> open = new ArrayList<>();

    private PostgresStore open() {
        PostgresStore store = PostgresStore.open(db, 2_000);
        open.add(store);
        return store;
    }

    @AfterEach
    void close() {
        open.forEach(PostgresStore::close);
    }

    static WireMessage message(String id, int priority) {
        return new WireMessage(WireDestination.queue("orders"), id, 0, null, null, null, true, priority, 0, 0,
                Map.of("seq", id), BodyType.TEXT, ("body of " + id).getBytes());
    }

    private static void await(CompletableFuture<?> f) throws Exception {
        f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void aFailingBatchWritesNothingAndDoesNotFailTheBatchesCommittedWithIt() throws Exception {
        PostgresStore store = open();
        await(store.write(List.of(new StoreOp.AddMessage(1, ORDERS, message("m1", 4)))));
        // a batch whose second op breaks a constraint (the id is taken): its first op must not stay either
        CompletableFuture<Void> bad = store.write(List.of(new StoreOp.AddMessage(2, ORDERS, message("m2", 4)),
                new StoreOp.AddMessage(1, ORDERS, message("again", 4))));
        CompletableFuture<Void> good = store.write(List.of(new StoreOp.AddMessage(3, ORDERS, message("m3", 4))));
        assertThatThrownBy(() -> await(bad)).hasCauseInstanceOf(StoreException.class)
                .hasMessageContaining(PostgresFixture.name(db)).hasMessageNotContaining(db.password());
        await(good);
        store.close();
        assertThat(claimAll(open(), ORDERS)).containsExactly("message 1 orders m1 count 1",
                "message 3 orders m3 count 1");
    }

    @Test
    void aMessageTheDatabaseCannotIndexFailsAloneNotTheOthersCommittedWithIt() throws Exception {
        PostgresStore store = open();
        await(store.write(List.of(new StoreOp.AddMessage(1, ORDERS, message("m1", 4)))));
        // a queue name too long for the database's index (incompressible, so not shrunk to fit): a hostile client
        StringBuilder name = new StringBuilder();
        Random random = new Random(7);
        while (name.length() < 4000) {
            name.append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
        }
        StoredQueue huge = StoredQueue.queue(name.toString());
        CompletableFuture<Void> bad;
        CompletableFuture<Void> good;
        try (Connection lock = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) { // the writer waits with m2, the next two queue as one group
                s.execute("LOCK TABLE tmq_messages IN EXCLUSIVE MODE");
            }
            CompletableFuture<Void> first = store.write(List.of(new StoreOp.AddMessage(2, ORDERS, message("m2", 4))));
            eventually("the writer waits for the lock", Duration.ofSeconds(20), () -> PostgresFixture.count(db,
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO tmq_messages%'") == 1);
            bad = store.write(List.of(new StoreOp.AddMessage(3, huge, message("m3", 4))));
            good = store.write(List.of(new StoreOp.AddMessage(4, ORDERS, message("m4", 4))));
            lock.rollback();
            await(first);
        }
        assertThatThrownBy(() -> await(bad)).as("refused for its data: the store is fine")
                .hasCauseInstanceOf(RefusedWrite.class).hasMessageContaining("index row size");
        await(good);
        assertThat(claimAll(store, ORDERS)).containsExactly("message 1 orders m1 count 1",
                "message 2 orders m2 count 1", "message 4 orders m4 count 1");
    }

    @Test
    void aSendToATemporaryQueueThatIsGoneFailsAloneInsteadOfStoringNothing() throws Exception {
        PostgresStore store = open();
        await(store.write(List.of(new StoreOp.AddTemporary("tmp.replies.1", false, "c-1"))));
        CompletableFuture<Void> kept = store.write(List.of(new StoreOp.AddToTemporary(10, "tmp.replies.1",
                message("r1", 4))));
        CompletableFuture<Void> gone = store.write(List.of(new StoreOp.AddToTemporary(11, "tmp.gone.1",
                message("r2", 4))));

        await(kept);
        assertThatThrownBy(() -> await(gone)).hasCauseInstanceOf(StoreException.class)
                .hasMessageContaining("temporary queue 'tmp.gone.1' no longer exists");
        assertThat(claimAll(store, StoredQueue.queue("tmp.replies.1"))).singleElement().asString().contains("r1");
    }

    @Test
    void concurrentWritersShareTransactions() throws Exception {
        PostgresStore store = open();
        await(store.write(List.of(new StoreOp.AddMessage(1, ORDERS, message("m1", 4)))));
        long before = store.commits();
        // hold the writer in its next transaction (a table lock), so every batch written meanwhile queues behind it
        try (Connection holder = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("LOCK TABLE tmq_messages IN EXCLUSIVE MODE");
            }
            ExecutorService writers = Executors.newFixedThreadPool(4);
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            CountDownLatch submitted = new CountDownLatch(4);
            for (int t = 0; t < 4; t++) {
                int thread = t;
                writes.add(CompletableFuture.supplyAsync(() -> {
                    List<CompletableFuture<Void>> mine = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        long id = 10 + thread * 100L + i;
                        mine.add(store.write(List.of(new StoreOp.AddMessage(id, ORDERS, message("m" + id, 4)))));
                    }
                    submitted.countDown();
                    return CompletableFuture.allOf(mine.toArray(CompletableFuture[]::new));
                }, writers).thenCompose(f -> f));
            }
            // all 200 writes were handed over without blocking their threads (on a loaded machine a writer thread may
            // start late: the lock is released only once every write is queued), and none can commit yet
            assertThat(submitted.await(30, TimeUnit.SECONDS)).as("all 200 writes submitted").isTrue();
            for (CompletableFuture<Void> w : writes) {
                assertThat(w).isNotDone();
            }
            holder.rollback();
            writers.shutdown();
            for (CompletableFuture<Void> w : writes) {
                await(w);
            }
        }
        // the writer was inside one transaction while the 200 queued: they went in at most two more
        assertThat(store.commits() - before).isBetween(1L, 3L);
        assertThat(claimAll(store, ORDERS)).hasSize(201);
    }

    @Test
    void recoveryVisitsSubscriptionsAndProducersAndMessagesAreClaimedWithTheirDeliveryCounts() throws Exception {
        PostgresStore store = open();
        UUID producer = new UUID(1, 2);
        DurableSubscription daily = new DurableSubscription("client", "daily", "news", "a > 1", true, false);
        await(store.write(List.of(new StoreOp.AddSubscription(1, daily))));
        await(store.write(List.of(new StoreOp.AddMessage(9, ORDERS, message("m9", 1)),
                new StoreOp.AddProducer(3, new ProducerStamp(producer, 5), 1000))));
        await(store.write(List.of(new StoreOp.AddMessage(4, StoredQueue.subscription(1), message("s4", 9)),
                new StoreOp.AddMessage(5, StoredQueue.queue("other"), message("o5", 4)),
                new StoreOp.AddMessage(6, ORDERS, message("m6", 4)))));
        await(store.writeLazily(List.of(new StoreOp.SetDeliveryCount(9, 3))));
        await(store.writeLazily(List.of(new StoreOp.SetDeliveryCount(9, 2)))); // late: a count never goes down
        await(store.write(List.of(new StoreOp.RemoveMessage(5), new StoreOp.SetProducerSequence(3, 7, 2000),
                new StoreOp.AddSubscription(7, new DurableSubscription(null, "gone", "news", null, false, true)))));
        await(store.write(List.of(new StoreOp.AddMessage(8, StoredQueue.subscription(7), message("g8", 4)))));
        await(store.write(List.of(new StoreOp.RemoveSubscription(7))));
        store.close();

        PostgresStore reopened = open();
        assertThat(recover(reopened)).as("messages are claimed, not recovered").containsExactly(
                "subscription 1 DurableSubscription[clientId=client, name=daily, topic=news, selector=a > 1,"
                        + " noLocal=true, shared=false]",
                "producer 3 " + producer + ":7 at 2000");
        assertThat(claimAll(reopened, ORDERS)).containsExactly("message 6 orders m6 count 1",
                "message 9 orders m9 count 3");
        assertThat(claimAll(reopened, StoredQueue.subscription(1))).containsExactly(
                "message 4 subscription#1 s4 count 1");
        assertThat(claimAll(reopened, StoredQueue.queue("other"))).isEmpty();
        assertThat(claimAll(reopened, StoredQueue.subscription(7))).as("gone with its subscription").isEmpty();
    }

    @Test
    void messagesSeenElsewhereAreClaimedAsRedeliveredInTheirQueueOrSubscriptionOnly() throws Exception {
        PostgresStore store = open();
        DurableSubscription a = new DurableSubscription("client", "a", "news", null, false, false);
        DurableSubscription b = new DurableSubscription("client", "b", "news", null, false, false);
        await(store.write(List.of(new StoreOp.AddSubscription(1, a), new StoreOp.AddSubscription(2, b))));
        // one publication's copies share its message id; so does a queue's message sent with the same id
        await(store.write(List.of(new StoreOp.AddMessage(3, StoredQueue.subscription(1), message("p1", 4)),
                new StoreOp.AddMessage(4, StoredQueue.subscription(2), message("p1", 4)),
                new StoreOp.AddMessage(5, ORDERS, message("p1", 4)),
                new StoreOp.AddMessage(6, ORDERS, message("m2", 4)))));

        await(store.seenElsewhere(StoredQueue.subscription(1), List.of("p1")));
        await(store.seenElsewhere(ORDERS, List.of("m2")));

        assertThat(claimAll(store, StoredQueue.subscription(1))).containsExactly("message 3 subscription#1 p1 count 2");
        assertThat(claimAll(store, StoredQueue.subscription(2))).containsExactly("message 4 subscription#2 p1 count 1");
        assertThat(claimAll(store, ORDERS)).containsExactly("message 5 orders p1 count 1",
                "message 6 orders m2 count 2");
    }

    @Test
    void aRecoveryTheBrokerRefusesMidwayFailsWithTheBrokersReasonNotTheCursorsTransaction() throws Exception {
        PostgresStore store = open();
        await(store.write(List.of(new StoreOp.AddSubscription(1,
                new DurableSubscription("client", "daily", "news", null, false, false)))));
        store.close();
        IllegalStateException refused = new IllegalStateException("refused by the broker");
        assertThatThrownBy(() -> open().recover(new StoreVisitor() {
            @Override
            public void subscription(long id, DurableSubscription subscription) {
                throw refused; // while the cursor's transaction is open
            }

            @Override
            public void message(long id, StoredQueue queue, WireMessage message, int deliveryCount) {
            }

            @Override
            public void producer(long id, ProducerStamp last, long storedAtMillis) {
            }
        })).isSameAs(refused);
    }

    @Test
    void messagesAreReadBackByStoreIdOnTheGivenExecutor() throws Exception {
        PostgresStore store = open();
        await(store.write(List.of(new StoreOp.AddMessage(1, ORDERS, message("m1", 4)),
                new StoreOp.AddMessage(2, ORDERS, message("m2", 7)),
                new StoreOp.AddProducer(3, new ProducerStamp(UUID.randomUUID(), 1), 0))));
        WireMessage[] read = store.read(new long[] {2, 99, 1, 3}).get(20, TimeUnit.SECONDS);
        assertThat(read[0]).isEqualTo(message("m2", 7));
        assertThat(read[1]).isNull();
        assertThat(read[2]).isEqualTo(message("m1", 4));
        assertThat(read[3]).as("a producer is not a message").isNull();

        ExecutorService decoder = Executors.newSingleThreadExecutor(r -> new Thread(r, "decoder"));
        try {
            java.util.concurrent.atomic.AtomicInteger handed = new java.util.concurrent.atomic.AtomicInteger();
            WireMessage[] decoded = store.read(new long[] {1}, task -> {
                handed.incrementAndGet();
                decoder.execute(task);
            }).get(20, TimeUnit.SECONDS);
            assertThat(decoded).containsExactly(message("m1", 4));
            assertThat(handed).as("decoded on the executor asked for").hasValue(1);
        } finally {
            decoder.shutdown();
        }
    }

    @Test
    void theIdentityIsTheDatabasesAndStableAcrossReopens() {
        String first = open().identity();
        assertThat(first).isNotBlank();
        assertThat(open().identity()).isEqualTo(first);
        assertThat(PostgresStore.open(PostgresFixture.newDatabase(), 2_000)).satisfies(other -> {
            open.add(other);
            assertThat(other.identity()).isNotEqualTo(first);
        });
    }

    @Test
    void aDatabaseThatGoesAwayFailsWritesWithAStoreExceptionAndTheStoreRecoversWhenItReturns() throws Exception {
        PostgresStore store = open();
        await(store.write(List.of(new StoreOp.AddMessage(1, ORDERS, message("m1", 4)))));
        String name = PostgresFixture.name(db);
        PostgresFixture.sql("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
        try {
            CompletableFuture<Void> refused = store.write(List.of(new StoreOp.AddMessage(2, ORDERS,
                    message("m2", 4))));
            assertThatThrownBy(() -> await(refused)).cause().isInstanceOf(StoreException.class)
                    .hasMessageContaining(name).hasMessageContaining("nothing of it was stored")
                    .hasMessageNotContaining(db.password());
            assertThatThrownBy(() -> store.read(new long[] {1}).get(20, TimeUnit.SECONDS))
                    .cause().isInstanceOf(StoreException.class).hasMessageContaining(name);
        } finally {
            PostgresFixture.sql("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
        }
        await(store.write(List.of(new StoreOp.AddMessage(3, ORDERS, message("m3", 4)))));
        assertThat(claimAll(store, ORDERS)).containsExactly("message 1 orders m1 count 1",
                "message 3 orders m3 count 1");
    }

    @Test
    void aDatabaseThatCannotBeReachedStopsTheOpenNamingItButNotThePassword() {
        PostgresSettings nowhere = db.withUrl("jdbc:postgresql://127.0.0.1:1/nowhere");
        assertThatThrownBy(() -> PostgresStore.open(nowhere, 500)).isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/nowhere as postgres")
                .hasMessageContaining("check postgresql.url").hasMessageNotContaining(db.password());
    }

    @Test
    void aDatabaseThatAcceptsTheConnectionButNeverAnswersStopsTheOpenWithinTheConnectionTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // the kernel completes the TCP handshake; nothing ever answers the driver's startup message
            PostgresSettings stalled = db.withUrl("jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/stalled");
            CompletableFuture<PostgresStore> opening = CompletableFuture.supplyAsync(
                    () -> PostgresStore.open(stalled, 1_000));
            assertThatThrownBy(() -> opening.get(15, TimeUnit.SECONDS)).cause().isInstanceOf(StoreException.class)
                    .hasMessageContaining("127.0.0.1:" + silent.getLocalPort());
        }
    }

    @Test
    void aClosedStoreRefusesClaimsAndHandBacksWithAStoreException() {
        PostgresStore store = open();
        store.close();
        assertThatThrownBy(() -> store.claim(ORDERS, 1, 0, Runnable::run).get(20, TimeUnit.SECONDS))
                .cause().isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.release(ORDERS, List.of(new SharedQueues.Released(1, 2, 0)))
                .get(20, TimeUnit.SECONDS)).cause().isInstanceOf(StoreException.class).hasMessageContaining("closed");
    }

    @Test
    void aStaleTimeThatLeavesNoRoomForTwoHeartbeatsStopsTheOpen() {
        assertThatThrownBy(() -> PostgresStore.open(db.withHeartbeatMillis(1000).withStaleMillis(1500), 2_000))
                .isInstanceOf(StoreException.class).hasMessageContaining("postgresql.staleMillis (1500)")
                .hasMessageContaining("postgresql.heartbeatMillis (1000)");
    }

    /** What a claim of every due message of {@code queue} gets, one line a message in delivery order. */
    static List<String> claimAll(PostgresStore store, StoredQueue queue) throws Exception {
        List<String> seen = new ArrayList<>();
        for (SharedQueues.Claimed c : store.claim(queue, 10_000, System.currentTimeMillis(), Runnable::run)
                .get(20, TimeUnit.SECONDS).claimed()) {
            seen.add("message " + c.id() + " " + queue + " " + c.message().messageId() + " count "
                    + c.deliveryCount());
        }
        return seen;
    }

    /** What a fresh open of the database recovers, one line a record. */
    private static List<String> recover(PostgresStore store) {
        List<String> seen = new ArrayList<>();
        store.recover(new StoreVisitor() {
            @Override
            public void subscription(long id, DurableSubscription subscription) {
                seen.add("subscription " + id + " " + subscription);
            }

            @Override
            public void message(long id, StoredQueue queue, WireMessage message, int deliveryCount) {
                seen.add("message " + id + " " + queue + " " + message.messageId() + " count " + deliveryCount);
            }

            @Override
            public void producer(long id, ProducerStamp last, long storedAtMillis) {
                seen.add("producer " + id + " " + last.producerId() + ":" + last.sequence() + " at " + storedAtMillis);
            }
        });
        return seen;
    }
}
