package io.tunnelmq.server.store.postgres;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.DurableSubscription;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Several brokers over one PostgreSQL database (several stores in one test): ids, claims, hand-backs, wake-ups. */
@Timeout(60)
class PostgresClusterTest {
    private static final StoredQueue ORDERS = StoredQueue.queue("orders");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final PostgresSettings db = PostgresFixture.newDatabase();
    private final List<PostgresStore> open = new ArrayList<>();

    private PostgresStore open(PostgresSettings settings, String address) {
        PostgresStore store = PostgresStore.open(settings, address, 2_000);
        open.add(store);
        return store;
    }

    private PostgresStore open() {
        return open(db, null);
    }

    @AfterEach
    void close() {
        open.forEach(PostgresStore::close);
    }

    private static WireMessage message(String id, int priority, long deliveryTime) {
        return new WireMessage(WireDestination.queue("orders"), id, 0, null, null, null, true, priority, 0,
                deliveryTime, Map.of(), BodyType.TEXT, ("body of " + id).getBytes(StandardCharsets.UTF_8));
    }

    private static void add(PostgresStore store, StoredQueue queue, String... ids) throws Exception {
        List<StoreOp> ops = new ArrayList<>();
        for (String id : ids) {
            ops.add(new StoreOp.AddMessage(store.ids().next(), queue, message(id, 4, 0)));
        }
        store.write(ops).get(20, TimeUnit.SECONDS);
    }

    private static SharedQueues.Claims claim(PostgresStore store, StoredQueue queue, int max, long now)
            throws Exception {
        return store.claim(queue, max, now, Runnable::run).get(20, TimeUnit.SECONDS);
    }

    private static List<String> names(SharedQueues.Claims claims) {
        return claims.claimed().stream().map(c -> c.message().messageId() + "#" + c.deliveryCount()).toList();
    }

    /** A listener that notes what it hears: queue names, or "*" for any queue. */
    private static List<String> listen(PostgresStore store) {
        List<String> heard = new CopyOnWriteArrayList<>();
        store.listen(queue -> heard.add(queue == null ? "*" : queue.toString()));
        return heard;
    }

    @Test
    void brokersIssueDisjointIdsAcrossBlocksConcurrently() throws Exception {
        List<PostgresStore> stores = List.of(open(), open());
        ConcurrentLinkedQueue<Long> ids = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> takers = new ArrayList<>();
        for (PostgresStore store : stores) {
            for (int t = 0; t < 2; t++) {
                takers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 3 * IdBlocks.SIZE; i++) {
                        ids.add(store.ids().next());
                    }
                }));
            }
        }
        CompletableFuture.allOf(takers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(ids).hasSize(4 * 3 * IdBlocks.SIZE).doesNotHaveDuplicates().allMatch(id -> id > 0);
    }

    @Test
    void aVersionOneDatabaseUpgradesWithIdsAboveEveryStoredOne() throws Exception {
        PostgresFixture.schemaAt(db, 1,
                "INSERT INTO tmq_producers (id, producer_id, sequence, stored_at)"
                        + " VALUES (9000, gen_random_uuid(), 1, 0)",
                "INSERT INTO tmq_subscriptions (id, name, topic, no_local, shared) VALUES (10, 'daily', 'news', false,"
                        + " false)",
                "INSERT INTO tmq_messages (id, subscription_id, priority, body) VALUES (11, 10, 4, '\\x00'),"
                        + " (12, 99, 4, '\\x00')");
        PostgresStore store = open();
        store.write(List.of(new StoreOp.AddMessage(5000, ORDERS, message("old", 4, 0)))).get(20, TimeUnit.SECONDS);
        assertThat(store.ids().next()).isGreaterThan(9000);
        assertThat(names(claim(store, ORDERS, 10, System.currentTimeMillis()))).containsExactly("old#1");
        assertThat(rows("SELECT id FROM tmq_messages WHERE subscription_id IS NOT NULL"))
                .as("the message of a subscription that is gone is dropped").containsExactly("11");
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT max(version) FROM tmq_schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(SchemaMigrations.SCRIPTS.size());
        }
    }

    @Test
    void brokersClaimingOneQueueTogetherNeverGetTheSameMessage() throws Exception {
        PostgresStore a = open();
        PostgresStore b = open();
        String[] ids = new String[300];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "m" + i;
        }
        add(a, ORDERS, ids);
        ConcurrentLinkedQueue<Long> claimed = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> claimers = new ArrayList<>();
        for (PostgresStore store : List.of(a, b, a, b)) {
            claimers.add(CompletableFuture.runAsync(() -> {
                try {
                    SharedQueues.Claims got;
                    do {
                        got = claim(store, ORDERS, 7, System.currentTimeMillis());
                        got.claimed().forEach(c -> claimed.add(c.id()));
                    } while (!got.claimed().isEmpty());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        CompletableFuture.allOf(claimers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(claimed).hasSize(300).doesNotHaveDuplicates();
    }

    @Test
    void claimsComeByPriorityThenInOrderStoredAndWaitForTheirDeliveryTime() throws Exception {
        PostgresStore store = open();
        long now = System.currentTimeMillis();
        long later = now + 60_000;
        StoredQueue subscription = StoredQueue.subscription(77);
        store.write(List.of(new StoreOp.AddMessage(store.ids().next(), ORDERS, message("a4", 4, 0)),
                new StoreOp.AddMessage(store.ids().next(), ORDERS, message("b9", 9, 0)),
                new StoreOp.AddMessage(store.ids().next(), ORDERS, message("c4", 4, now - 1)),
                new StoreOp.AddMessage(store.ids().next(), ORDERS, message("d9-later", 9, later)),
                new StoreOp.AddMessage(store.ids().next(), subscription, message("s", 4, 0)),
                new StoreOp.AddMessage(store.ids().next(), ORDERS, message("e0", 0, 0)),
                new StoreOp.AddMessage(store.ids().next(), ORDERS, message("f9", 9, 0)))).get(20, TimeUnit.SECONDS);

        SharedQueues.Claims first = claim(store, ORDERS, 2, now);
        assertThat(names(first)).containsExactly("b9#1", "f9#1");
        assertThat(first.nextDueMillis()).as("as many as asked: no due time").isZero();
        SharedQueues.Claims rest = claim(store, ORDERS, 10, now);
        assertThat(names(rest)).containsExactly("a4#1", "c4#1", "e0#1");
        assertThat(rest.nextDueMillis()).isEqualTo(later);
        assertThat(claim(store, ORDERS, 10, now).claimed()).isEmpty();
        assertThat(names(claim(store, ORDERS, 10, later))).containsExactly("d9-later#1");
        assertThat(claim(store, ORDERS, 10, later).nextDueMillis()).isZero();
        assertThat(names(claim(store, subscription, 10, now))).containsExactly("s#1");
    }

    @Test
    void aClaimUsesThePartialClaimIndex() throws Exception {
        PostgresStore store = open();
        String[] ids = new String[2000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "m" + i;
        }
        add(store, StoredQueue.queue("bulk"), ids);
        add(store, ORDERS, "a");
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement()) {
            s.execute("ANALYZE tmq_messages");
            String claim = QueueClaims.CLAIM_QUEUE.replaceFirst("\\?", "gen_random_uuid()")
                    .replaceFirst("\\?", "0").replaceFirst("\\?", "0").replaceFirst("\\?", "'orders'").replaceFirst("\\?", "0")
                    .replaceFirst("\\?", "gen_random_uuid()").replaceFirst("\\?", "gen_random_uuid()")
                    .replaceFirst("\\?", "10");
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = s.executeQuery("EXPLAIN " + claim)) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).contains("tmq_messages_queue_claim");
        }
    }

    @Test
    void aHandBackGoesToTheOtherBrokersWithItsCountAndTimeAndWakesThem() throws Exception {
        PostgresStore a = open();
        PostgresStore b = open();
        add(a, ORDERS, "m1", "m2", "m3");
        List<SharedQueues.Claimed> held = claim(a, ORDERS, 10, System.currentTimeMillis()).claimed();
        List<String> heard = listen(b);
        eventually("b listens", WAIT, () -> heard.contains("*"));
        long later = System.currentTimeMillis() + 60_000;
        // m3 completed lazily just before: the hand-back lands after it and does not bring it back
        a.writeLazily(List.of(new StoreOp.RemoveMessage(held.get(2).id()),
                new StoreOp.SetDeliveryCount(held.get(0).id(), 5)));
        a.release(ORDERS, List.of(new SharedQueues.Released(held.get(0).id(), 2, 0),
                new SharedQueues.Released(held.get(1).id(), 3, later),
                new SharedQueues.Released(held.get(2).id(), 2, 0))).get(20, TimeUnit.SECONDS);
        eventually("b is woken for orders", WAIT, () -> heard.contains("orders"));

        SharedQueues.Claims got = claim(b, ORDERS, 10, System.currentTimeMillis());
        assertThat(names(got)).as("a count never goes down").containsExactly("m1#5");
        assertThat(got.nextDueMillis()).isEqualTo(later);
        assertThat(names(claim(b, ORDERS, 10, later))).containsExactly("m2#3");
        // a hand-back of what another broker holds changes nothing
        a.release(ORDERS, List.of(new SharedQueues.Released(held.get(0).id(), 9, 0))).get(20, TimeUnit.SECONDS);
        assertThat(claim(a, ORDERS, 10, later).claimed()).isEmpty();
    }

    @Test
    void storingAMessageWakesEveryBrokerForItsQueue() throws Exception {
        PostgresStore a = open();
        PostgresStore b = open();
        List<String> heard = listen(b);
        eventually("b listens", WAIT, () -> heard.contains("*"));
        add(a, ORDERS, "m1");
        add(a, StoredQueue.subscription(12), "s1");
        eventually("b is woken for both", WAIT, () -> heard.contains("orders") && heard.contains("subscription#12"));
    }

    @Test
    void theListenerConnectsAgainAndSaysItMayHaveMissedWakeUps() throws Exception {
        PostgresStore a = open();
        List<String> heard = listen(a);
        eventually("a listens", WAIT, () -> heard.contains("*"));
        heard.clear();
        PostgresFixture.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                + WakeListener.APPLICATION_NAME + "' AND datname = '" + PostgresFixture.name(db) + "'");
        eventually("a listens again", WAIT, () -> heard.contains("*"));
        add(a, ORDERS, "m1");
        eventually("a is woken for orders", WAIT, () -> heard.contains("orders"));
    }

    @Test
    void aBrokerThatDiesHasItsMessagesHandedOnWithTheirCountsAndTheOthersWoken() throws Exception {
        PostgresSettings fast = db.withHeartbeatMillis(100).withStaleMillis(600);
        PostgresStore dying = open(fast, "host-a:5672");
        PostgresStore other = open(fast, "host-b:5672");
        add(dying, ORDERS, "m1", "m2");
        List<SharedQueues.Claimed> held = claim(dying, ORDERS, 10, System.currentTimeMillis()).claimed();
        dying.writeLazily(List.of(new StoreOp.SetDeliveryCount(held.get(0).id(), 2))).get(20, TimeUnit.SECONDS);
        List<String> heard = listen(other);
        eventually("other listens", WAIT, () -> heard.contains("*"));
        assertThat(claim(other, ORDERS, 10, System.currentTimeMillis()).claimed()).isEmpty();

        dying.kill();
        eventually("other is woken for orders", WAIT, () -> heard.contains("orders"));
        assertThat(names(claim(other, ORDERS, 10, System.currentTimeMillis()))).containsExactly("m1#2", "m2#1");
        assertThat(brokers()).containsExactly("host-b:5672");
    }

    @Test
    void leasesNoBrokerHoldsAreSwept() throws Exception {
        PostgresStore store = open(db.withHeartbeatMillis(100).withStaleMillis(500), "host-a:5672");
        add(store, ORDERS, "m1");
        List<String> heard = listen(store);
        eventually("it listens", WAIT, () -> heard.contains("*"));
        // as if a broker had claimed just after the others took it for dead
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement()) {
            s.execute("UPDATE tmq_messages SET lease_owner = gen_random_uuid()");
        }
        assertThat(claim(store, ORDERS, 10, System.currentTimeMillis()).claimed()).isEmpty();
        eventually("the orphaned lease is swept", WAIT, () -> heard.contains("orders"));
        assertThat(names(claim(store, ORDERS, 10, System.currentTimeMillis()))).containsExactly("m1#1");
    }

    @Test
    void theMessagesOfAClaimWhoseAnswerWasLostComeWithTheQueuesNextClaimOnce() throws Exception {
        PostgresStore store = open();
        add(store, ORDERS, "m1", "m2", "m3");
        store.loseClaimAnswers(1);
        assertThatThrownBy(() -> claim(store, ORDERS, 2, System.currentTimeMillis()))
                .cause().isInstanceOf(StoreException.class).hasMessageContaining("answer was lost");
        assertThat(PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages WHERE lease_owner IS NOT NULL"))
                .as("leased by the claim whose answer was lost").isEqualTo(2);
        assertThat(names(claim(store, ORDERS, 10, System.currentTimeMillis()))).containsExactly("m1#1", "m2#1", "m3#1");
        assertThat(names(claim(store, ORDERS, 10, System.currentTimeMillis()))).isEmpty();
    }

    @Test
    void anExpiredMessageOfAClaimWhoseAnswerWasLostComesWithTheNextClaimOfExpiredMessages() throws Exception {
        PostgresStore store = open();
        WireMessage expired = new WireMessage(WireDestination.queue("orders"), "old", 0, null, null, null, true, 4,
                System.currentTimeMillis() - 1_000, 0, Map.of(), BodyType.TEXT, new byte[0]);
        store.write(List.of(new StoreOp.AddMessage(store.ids().next(), ORDERS, expired))).get(20, TimeUnit.SECONDS);
        store.loseClaimAnswers(1);
        assertThatThrownBy(() -> store.claimExpired(10, System.currentTimeMillis(), Runnable::run)
                .get(20, TimeUnit.SECONDS)).cause().isInstanceOf(StoreException.class);
        assertThat(store.claimExpired(10, System.currentTimeMillis(), Runnable::run).get(20, TimeUnit.SECONDS))
                .extracting(e -> e.queueName() + " " + e.claimed().message().messageId()).containsExactly("orders old");
        assertThat(store.claimExpired(10, System.currentTimeMillis(), Runnable::run).get(20, TimeUnit.SECONDS))
                .isEmpty();
    }

    @Test
    void aBrokerTakenForDeadClaimsNothingAndIsFencedWithoutJoiningAgain() throws Exception {
        PostgresStore store = open(db.withHeartbeatMillis(100).withStaleMillis(500), "host-a:5672");
        CompletableFuture<Void> fenced = new CompletableFuture<>();
        store.listenFenced(() -> fenced.complete(null));
        add(store, ORDERS, "m1");
        PostgresFixture.takeForDead(db, store.brokerId());
        assertThat(claim(store, ORDERS, 10, System.currentTimeMillis()).claimed())
                .as("claimed by a broker no longer among the brokers").isEmpty();
        fenced.get(20, TimeUnit.SECONDS);
        assertThat(brokers()).as("joined again").isEmpty();
        assertThat(PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages WHERE lease_owner IS NULL"))
                .isEqualTo(1);
    }

    @Test
    void aBrokerWhoseHeartbeatCannotReachTheDatabaseFencesItselfBeforeTheOthersWouldTakeItForDead()
            throws Exception {
        // half a beat (250 ms) between the fence and the earliest reaping: room for a watchdog a busy machine wakes late
        PostgresSettings settings = db.withHeartbeatMillis(500).withStaleMillis(2_500);
        PostgresStore store = open(settings, "host-a:5672");
        CompletableFuture<Long> fencedAt = new CompletableFuture<>();
        store.listenFenced(() -> fencedAt.complete(System.currentTimeMillis()));
        String name = PostgresFixture.name(db);
        PostgresFixture.sql("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
        long fenced;
        try {
            fenced = fencedAt.get(20, TimeUnit.SECONDS);
            store.close(); // as its broker does: a heartbeat still waiting for a connection must not land afterwards
        } finally {
            PostgresFixture.sql("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
        }
        // the database runs on this machine: its clock is this JVM's
        long lastBeat = PostgresFixture.count(db, "SELECT (extract(epoch FROM heartbeat_at) * 1000)::bigint"
                + " FROM tmq_brokers");
        assertThat(fenced).as("fenced before a reaper could take it").isLessThan(lastBeat + settings.staleMillis());
        assertThat(fenced).as("fenced only once the heartbeat had failed for a while")
                .isGreaterThanOrEqualTo(lastBeat + settings.staleMillis() - settings.heartbeatMillis() * 2);
    }

    @Test
    void aBrokerRestartedAtTheSameAddressHandsItsPreviousRunsMessagesOnAtOnce() throws Exception {
        PostgresStore first = open(db, "host-a:5672");
        add(first, ORDERS, "m1");
        assertThat(claim(first, ORDERS, 10, System.currentTimeMillis()).claimed()).hasSize(1);
        first.kill();
        // staleMillis is 10 s: only the address can have freed the message this soon
        PostgresStore again = open(db, "host-a:5672");
        assertThat(names(claim(again, ORDERS, 10, System.currentTimeMillis()))).containsExactly("m1#1");
        assertThat(brokers()).containsExactly("host-a:5672");
    }

    @Test
    void aCleanCloseHandsTheMessagesBackAndLeaves() throws Exception {
        PostgresStore a = open(db, "host-a:5672");
        PostgresStore b = open(db, "host-b:5672");
        add(a, ORDERS, "m1", "m2");
        assertThat(claim(a, ORDERS, 10, System.currentTimeMillis()).claimed()).hasSize(2);
        List<String> heard = listen(b);
        eventually("b listens", WAIT, () -> heard.contains("*"));
        a.close();
        eventually("b is woken for orders", WAIT, () -> heard.contains("orders"));
        assertThat(names(claim(b, ORDERS, 10, System.currentTimeMillis()))).containsExactly("m1#1", "m2#1");
        assertThat(brokers()).containsExactly("host-b:5672");
    }

    @Test
    void aSharedSubscriptionLivesWhileSomeBrokerHoldsItAndGoesWithItsLastHolder() throws Exception {
        PostgresSettings fast = db.withHeartbeatMillis(100).withStaleMillis(600);
        PostgresStore a = open(fast, "host-a:5672");
        PostgresStore b = open(fast, "host-b:5672");
        DurableSubscription workers = new DurableSubscription(null, "workers", "news", null, false, true);
        long id = a.holdSubscription(a.ids().next(), workers).get(20, TimeUnit.SECONDS).id();
        assertThat(b.holdSubscription(b.ids().next(), workers).get(20, TimeUnit.SECONDS).id()).isEqualTo(id);
        // under another topic it is left as it is (the broker refuses that consumer)
        SharedQueues.HeldSubscription other = b.holdSubscription(b.ids().next(),
                new DurableSubscription(null, "workers", "sports", null, false, true)).get(20, TimeUnit.SECONDS);
        assertThat(other.id() + " " + other.terms().topic()).isEqualTo(id + " news");
        // a durable subscription of the same name is another one; a publication reaches both
        a.write(List.of(new StoreOp.AddSubscription(a.ids().next(), workers))).get(20, TimeUnit.SECONDS);
        a.write(List.of(new StoreOp.PublishToSubscriptions("news", message("n1", 4, 0), null)))
                .get(20, TimeUnit.SECONDS);
        assertThat(rows("SELECT count(*) FROM tmq_messages")).containsExactly("2");

        a.giveBackSubscription(id).get(20, TimeUnit.SECONDS);
        assertThat(rows("SELECT id FROM tmq_subscriptions WHERE NOT durable")).containsExactly(id + ""); // b holds it
        b.kill(); // taken for dead by a: its hold goes, and the subscription with its messages
        eventually("the dead broker's hold is reaped", WAIT,
                () -> rows("SELECT count(*) FROM tmq_subscriptions WHERE NOT durable").equals(List.of("0")));
        assertThat(rows("SELECT count(*) FROM tmq_messages")).containsExactly("1"); // the durable one's copy

        long again = a.holdSubscription(a.ids().next(), workers).get(20, TimeUnit.SECONDS).id();
        assertThat(again).isNotEqualTo(id);
        a.giveBackSubscription(again).get(20, TimeUnit.SECONDS);
        assertThat(rows("SELECT count(*) FROM tmq_subscriptions WHERE NOT durable")).containsExactly("0");
    }

    private List<String> brokers() {
        return rows("SELECT address FROM tmq_brokers ORDER BY address");
    }

    private List<String> rows(String query) {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
        return rows;
    }
}
