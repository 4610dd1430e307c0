package io.tunnelmq.server.store.postgres;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoreException;
import io.tunnelmq.server.store.StoreOp;
import io.tunnelmq.server.store.StoredQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.store.postgres.PostgresStores.listening;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An operator's purge across the brokers over one PostgreSQL database (several stores in one test). */
@Timeout(60)
class PostgresPurgeTest {
    private static final StoredQueue ORDERS = StoredQueue.queue("orders");
    private static final StoredQueue INVOICES = StoredQueue.queue("invoices");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final PostgresSettings db = PostgresFixture.newDatabase();
    private final List<PostgresStore> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(PostgresStore::close);
    }

    @Test
    void aPurgeRemovesWhatNoBrokerHoldsScheduledOnesTooAndTellsEveryOtherBroker() throws Exception {
        PostgresStore a = open();
        PostgresStore b = open();
        List<String> purgesHeardByA = purgesHeard(a);
        List<String> purgesHeardByB = purgesHeard(b);
        long now = System.currentTimeMillis();
        add(a, ORDERS, 0, "m1", "m2", "m3", "m4");
        add(a, ORDERS, now + 3_600_000, "later");
        add(a, INVOICES, 0, "i1");
        List<SharedQueues.Claimed> heldByB = b.claim(ORDERS, 2, now, Runnable::run).get(20, TimeUnit.SECONDS)
                .claimed();
        assertThat(heldByB).hasSize(2);

        assertThat(a.purge(ORDERS).get(20, TimeUnit.SECONDS).removed()).isEqualTo(3);

        eventually("b hears of the purge", WAIT, () -> purgesHeardByB.contains("orders"));
        assertThat(purgesHeardByB).doesNotContain("invoices");
        assertThat(PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages WHERE queue_name = 'orders'"))
                .as("what b holds stays b's").isEqualTo(2);
        assertThat(a.claim(ORDERS, 10, now + 7_200_000, Runnable::run).get(20, TimeUnit.SECONDS).claimed()).isEmpty();
        assertThat(a.claim(INVOICES, 10, now, Runnable::run).get(20, TimeUnit.SECONDS).claimed())
                .extracting(c -> c.message().messageId()).containsExactly("i1");
        assertThat(a.purge(ORDERS).get(20, TimeUnit.SECONDS).removed()).as("a purge again finds nothing").isZero();

        b.purge(INVOICES).get(20, TimeUnit.SECONDS);
        eventually("a hears b's purge", WAIT, () -> !purgesHeardByA.isEmpty());
        assertThat(purgesHeardByA).as("a's notices reached it before b's; it ignored them: it dropped its share as it"
                + " purged").containsExactly("invoices");
    }

    @Test
    void aPurgeTakesWhatWasStoredBeforeItAndNamesToEachBrokerWhatItHeldOfThat() throws Exception {
        PostgresStore a = open();
        PostgresStore b = open();
        List<SharedQueues.Purged> told = new CopyOnWriteArrayList<>();
        b.listenPurged(told::add);
        listening(b);
        long now = System.currentTimeMillis();
        add(a, ORDERS, 0, "m1", "m2", "m3");
        List<SharedQueues.Claimed> held = b.claim(ORDERS, 2, now, Runnable::run).get(20, TimeUnit.SECONDS).claimed();

        long beforePurge = System.nanoTime();
        assertThat(a.purge(ORDERS).get(20, TimeUnit.SECONDS).removed()).isEqualTo(1);
        long afterPurge = System.nanoTime();
        add(a, ORDERS, 0, "after");
        eventually("b is told", WAIT, () -> !told.isEmpty());
        SharedQueues.Purged purge = told.get(0);
        assertThat(purge.queue()).isEqualTo(ORDERS);
        List<SharedQueues.Claimed> later = b.claim(ORDERS, 10, now, Runnable::run).get(20, TimeUnit.SECONDS).claimed();
        assertThat(later).extracting(c -> c.message().messageId()).as("stored after the purge: it stays")
                .containsExactly("after");

        SharedQueues.HeldBefore ofB = b.heldBefore(ORDERS, purge.before()).get(20, TimeUnit.SECONDS);
        assertThat(ofB.storeIds()).as("what b held of the messages stored before the purge, not what it claimed after")
                .containsExactlyInAnyOrder(held.get(0).id(), held.get(1).id());
        assertThat(ofB.claimIds()).as("each under the claim that leased it").containsOnly(held.get(0).claimId())
                .isNotEqualTo(new long[] {0, 0});
        assertThat(held.get(1).claimId()).isEqualTo(held.get(0).claimId());
        assertThat(later.get(0).claimId()).as("a claim of its own").isNotEqualTo(held.get(0).claimId());
        assertThat(ofB.purgeNanos()).as("when the purge was taken, on this JVM's clock: no later than it was")
                .isLessThanOrEqualTo(afterPurge).isGreaterThan(beforePurge - TimeUnit.SECONDS.toNanos(5));
        assertThat(a.heldBefore(ORDERS, purge.before()).get(20, TimeUnit.SECONDS).storeIds()).isEmpty();

        long next = a.purge(ORDERS).get(20, TimeUnit.SECONDS).before();
        assertThat(b.heldBefore(ORDERS, purge.before()).get(20, TimeUnit.SECONDS).storeIds())
                .as("a newer purge replaced it: the newer one is told and names them").isEmpty();
        assertThat(b.heldBefore(ORDERS, next).get(20, TimeUnit.SECONDS).storeIds()).hasSize(3);
    }

    @Test
    void aHandBackOfWhatWaitedSinceBeforeAPurgeThatPassedItByRemovesIt() throws Exception {
        PostgresStore a = open();
        PostgresStore b = open();
        long now = System.currentTimeMillis();
        add(a, ORDERS, 0, "waited", "since", "unknown");
        add(a, INVOICES, 0, "unpurged");
        List<SharedQueues.Claimed> orders = b.claim(ORDERS, 3, now, Runnable::run).get(20, TimeUnit.SECONDS).claimed();
        List<SharedQueues.Claimed> invoices = b.claim(INVOICES, 1, now, Runnable::run).get(20, TimeUnit.SECONDS)
                .claimed();
        assertThat(a.purge(ORDERS).get(20, TimeUnit.SECONDS).removed()).as("b holds them all").isZero();
        add(a, ORDERS, 0, "after");
        List<SharedQueues.Claimed> after = b.claim(ORDERS, 1, now, Runnable::run).get(20, TimeUnit.SECONDS).claimed();
        long hour = TimeUnit.HOURS.toMicros(1);

        assertThat(b.release(ORDERS, List.of(
                new SharedQueues.Released(orders.get(0).id(), 1, 0, false, hour), // waited at the purge: goes
                new SharedQueues.Released(orders.get(1).id(), 1, 0, false, 1), // began to wait after it: stays
                new SharedQueues.Released(orders.get(2).id(), 1, 0, false, 0), // not known: stays
                new SharedQueues.Released(after.get(0).id(), 1, 0, false, hour))) // stored after it: stays
                .get(20, TimeUnit.SECONDS)).as("removed as purged").isEqualTo(1);
        assertThat(b.release(INVOICES, List.of(new SharedQueues.Released(invoices.get(0).id(), 1, 0, false, hour)))
                .get(20, TimeUnit.SECONDS)).isZero();

        assertThat(a.claim(ORDERS, 10, now, Runnable::run).get(20, TimeUnit.SECONDS).claimed())
                .extracting(c -> c.message().messageId()).containsExactly("since", "unknown", "after");
        assertThat(a.claim(INVOICES, 10, now, Runnable::run).get(20, TimeUnit.SECONDS).claimed())
                .extracting(c -> c.message().messageId()).as("a queue never purged").containsExactly("unpurged");
    }

    @Test
    void aHandBackDuringTheFirstPurgeOfItsQueueWaitsForItAndGoesWithIt() throws Exception {
        PostgresStore a = open();
        PostgresStore b = open();
        add(a, ORDERS, 0, "held");
        long now = System.currentTimeMillis();
        SharedQueues.Claimed held = b.claim(ORDERS, 1, now, Runnable::run).get(20, TimeUnit.SECONDS).claimed().get(0);
        try (Connection purge = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            // the first purge of orders, as QueuePurges takes it, not committed yet: the held row is passed by
            purge.setAutoCommit(false);
            try (Statement s = purge.createStatement()) {
                s.executeUpdate("INSERT INTO tmq_purges (purge_key, purge_seq, purged_at)"
                        + " VALUES ('q:orders', nextval('tmq_record_seq'), clock_timestamp())");
                assertThat(s.executeUpdate("DELETE FROM tmq_messages WHERE queue_name = 'orders'"
                        + " AND lease_owner IS NULL")).isZero();
            }
            CompletableFuture<Integer> back = b.release(ORDERS, List.of(new SharedQueues.Released(held.id(), 1, 0, false,
                    TimeUnit.HOURS.toMicros(1))));
            eventually("the hand-back waits for the purge", WAIT, () -> PostgresFixture.count(db,
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                            + " AND datname = current_database() AND query LIKE 'INSERT INTO tmq_purges%'") == 1);
            purge.commit();
            assertThat(back.get(20, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages")).as("it went with the purge")
                .isZero();
    }

    @Test
    void aBrokerThatWasNotListeningIsToldOfThePurgeWhenItListens() throws Exception {
        PostgresStore a = open();
        PostgresStore b = open(); // not listening yet: it has not heard the notice
        add(a, ORDERS, 0, "m1");
        a.purge(ORDERS).get(20, TimeUnit.SECONDS);

        List<String> heard = purgesHeard(b);
        eventually("b reads the purge it missed", WAIT, () -> heard.contains("orders"));
    }

    @Test
    void aQueueWhoseNameNoNoticeCanCarryIsRefusedAndKeepsItsMessages() throws Exception {
        PostgresStore a = open();
        StoredQueue longName = StoredQueue.queue("q".repeat(9_000));
        add(a, longName, 0, "m1");
        assertThatThrownBy(() -> a.purge(longName).join()).hasCauseInstanceOf(StoreException.class)
                .hasMessageContaining("too long for the purge notice");
        assertThat(PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages")).isEqualTo(1);
    }

    @Test
    void aSubscriptionIsPurgedAcrossTheBrokersAsAQueueIs() throws Exception {
        StoredQueue daily = StoredQueue.subscription(7);
        PostgresStore a = open();
        PostgresStore b = open();
        List<String> heardByB = purgesHeard(b);
        add(a, daily, 0, "n1", "n2", "n3");
        add(a, ORDERS, 0, "m1");
        List<SharedQueues.Claimed> held = b.claim(daily, 1, System.currentTimeMillis(), Runnable::run)
                .get(20, TimeUnit.SECONDS).claimed();

        SharedQueues.PurgeResult purge = a.purge(daily).get(20, TimeUnit.SECONDS);

        assertThat(purge.removed()).as("what no broker holds").isEqualTo(2);
        eventually("b hears of it", WAIT, () -> heardByB.contains("subscription#7"));
        assertThat(b.heldBefore(daily, purge.before()).get(20, TimeUnit.SECONDS).storeIds())
                .containsExactly(held.get(0).id());
        assertThat(PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages")).as("b's and the queue's")
                .isEqualTo(2);
        PostgresStore c = open();
        assertThat(purgesHeard(c)).as("a store that listens later reads it by its key")
                .contains("subscription#7");
    }

    @Test
    void aPurgeKeptByAVersionSevenDatabaseIsReadAfterTheUpgrade() throws Exception {
        PostgresFixture.schemaAt(db, 7,
                "INSERT INTO tmq_purges (queue_name, purge_seq) VALUES ('orders', nextval('tmq_record_seq'))");
        PostgresStore store = open();
        assertThat(purgesHeard(store)).as("the purge it missed, read by its key").contains("orders");
    }

    private PostgresStore open() {
        PostgresStore store = PostgresStore.open(db, null, 2_000);
        open.add(store);
        return store;
    }

    /** The purges a store hears, once it listens. */
    private static List<String> purgesHeard(PostgresStore store) throws InterruptedException {
        List<String> heard = new CopyOnWriteArrayList<>();
        store.listenPurged(purge -> heard.add(purge.queue().toString()));
        listening(store);
        return heard;
    }

    private static void add(PostgresStore store, StoredQueue queue, long deliveryTime, String... ids)
            throws Exception {
        List<StoreOp> ops = new ArrayList<>();
        for (String id : ids) {
            WireDestination to = queue.isSubscription() ? WireDestination.topic("news")
                    : WireDestination.queue(queue.queueName());
            WireMessage m = new WireMessage(to, id, 0, null, null, null, true, 4, 0, deliveryTime, Map.of(),
                    BodyType.TEXT, id.getBytes(StandardCharsets.UTF_8));
            ops.add(new StoreOp.AddMessage(store.ids().next(), queue, m));
        }
        store.write(ops).get(20, TimeUnit.SECONDS);
    }
}
