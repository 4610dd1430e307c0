package io.tunnelmq.server.store.postgres;

import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoreOp;
import io.tunnelmq.server.store.StoredQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.store.postgres.PostgresStores.ORDERS;
import static io.tunnelmq.server.store.postgres.PostgresStores.WAIT;
import static io.tunnelmq.server.store.postgres.PostgresStores.add;
import static io.tunnelmq.server.store.postgres.PostgresStores.claim;
import static io.tunnelmq.server.store.postgres.PostgresStores.listen;
import static io.tunnelmq.server.store.postgres.PostgresStores.message;
import static io.tunnelmq.server.store.postgres.PostgresStores.names;
import static org.assertj.core.api.Assertions.assertThat;

/** Several brokers over one PostgreSQL database (several stores in one test): ids, claims, hand-backs, wake-ups. */
@Timeout(60)
class PostgresClusterTest {
    @RegisterExtension
    final PostgresStores stores = new PostgresStores();
    private final PostgresSettings db = stores.db();

    @Test
    void brokersIssueDisjointIdsAcrossBlocksConcurrently() throws Exception {
        List<PostgresStore> two = List.of(stores.open(), stores.open());
        ConcurrentLinkedQueue<Long> ids = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> takers = new ArrayList<>();
        for (PostgresStore store : two) {
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
        PostgresStore store = stores.open();
        store.write(List.of(new StoreOp.AddMessage(5000, ORDERS, message("old", 4, 0)))).get(20, TimeUnit.SECONDS);
        assertThat(store.ids().next()).isGreaterThan(9000);
        assertThat(names(claim(store, ORDERS, 10, System.currentTimeMillis()))).containsExactly("old#1");
        assertThat(stores.rows("SELECT id FROM tmq_messages WHERE subscription_id IS NOT NULL"))
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
        PostgresStore a = stores.open();
        PostgresStore b = stores.open();
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
        PostgresStore store = stores.open();
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
        PostgresStore store = stores.open();
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
        PostgresStore a = stores.open();
        PostgresStore b = stores.open();
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
        PostgresStore a = stores.open();
        PostgresStore b = stores.open();
        List<String> heard = listen(b);
        eventually("b listens", WAIT, () -> heard.contains("*"));
        add(a, ORDERS, "m1");
        add(a, StoredQueue.subscription(12), "s1");
        eventually("b is woken for both", WAIT, () -> heard.contains("orders") && heard.contains("subscription#12"));
    }

    @Test
    void aWakeListenerSetOnceTheStoreListensStillHearsAnyQueue() throws Exception {
        PostgresStore a = stores.open();
        List<Long> changed = new CopyOnWriteArrayList<>();
        a.listenSubscriptions(changed::add); // the first listener set starts the listening
        eventually("a listens", WAIT, () -> changed.contains(0L));

        List<String> heard = listen(a);

        eventually("the wake listener set afterwards hears any queue", WAIT, () -> heard.contains("*"));
        eventually("and the subscriptions listener any again", WAIT, () -> changed.stream().filter(id -> id == 0L)
                .count() == 2);
    }

    @Test
    void theListenerConnectsAgainAndSaysItMayHaveMissedWakeUps() throws Exception {
        PostgresStore a = stores.open();
        List<String> heard = listen(a);
        eventually("a listens", WAIT, () -> heard.contains("*"));
        heard.clear();
        PostgresFixture.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                + WakeListener.APPLICATION_NAME + "' AND datname = '" + PostgresFixture.name(db) + "'");
        eventually("a listens again", WAIT, () -> heard.contains("*"));
        add(a, ORDERS, "m1");
        eventually("a is woken for orders", WAIT, () -> heard.contains("orders"));
    }
}
