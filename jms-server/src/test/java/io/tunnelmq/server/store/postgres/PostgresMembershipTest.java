package io.tunnelmq.server.store.postgres;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.SharedClientIds;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.SharedSubscriptions;
import io.tunnelmq.server.store.StoreException;
import io.tunnelmq.server.store.StoreOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.store.postgres.PostgresStores.ORDERS;
import static io.tunnelmq.server.store.postgres.PostgresStores.WAIT;
import static io.tunnelmq.server.store.postgres.PostgresStores.add;
import static io.tunnelmq.server.store.postgres.PostgresStores.claim;
import static io.tunnelmq.server.store.postgres.PostgresStores.fenced;
import static io.tunnelmq.server.store.postgres.PostgresStores.listen;
import static io.tunnelmq.server.store.postgres.PostgresStores.message;
import static io.tunnelmq.server.store.postgres.PostgresStores.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Brokers coming and going over one PostgreSQL database (several stores in one test): a broker that dies, is taken for
 * dead, fences itself, restarts at its address or closes cleanly hands its messages on; orphaned leases are swept; a
 * claim whose answer was lost is read back; a shared subscription lives while some broker holds it.
 */
@Timeout(60)
class PostgresMembershipTest {
    @RegisterExtension
    final PostgresStores stores = new PostgresStores();
    private final PostgresSettings db = stores.db();

    @Test
    void aBrokerThatDiesHasItsMessagesHandedOnWithTheirCountsAndTheOthersWoken() throws Exception {
        PostgresSettings fast = db.withHeartbeatMillis(100).withStaleMillis(600);
        PostgresStore dying = stores.open(fast, "host-a:5672");
        PostgresStore other = stores.open(fast, "host-b:5672");
        add(dying, ORDERS, "m1", "m2");
        List<SharedQueues.Claimed> held = claim(dying, ORDERS, 10, System.currentTimeMillis()).claimed();
        dying.writeLazily(List.of(new StoreOp.SetDeliveryCount(held.get(0).id(), 2))).get(20, TimeUnit.SECONDS);
        List<String> heard = listen(other);
        eventually("other listens", WAIT, () -> heard.contains("*"));
        assertThat(claim(other, ORDERS, 10, System.currentTimeMillis()).claimed()).isEmpty();

        dying.kill();
        eventually("other is woken for orders", WAIT, () -> heard.contains("orders"));
        assertThat(names(claim(other, ORDERS, 10, System.currentTimeMillis()))).containsExactly("m1#2", "m2#1");
        assertThat(stores.brokers()).containsExactly("host-b:5672");
    }

    @Test
    void leasesNoBrokerHoldsAreSwept() throws Exception {
        PostgresStore store = stores.open(db.withHeartbeatMillis(100).withStaleMillis(500), "host-a:5672");
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
        PostgresStore store = stores.open();
        add(store, ORDERS, "m1", "m2", "m3");
        store.claims.loseAnswers(1);
        assertThatThrownBy(() -> claim(store, ORDERS, 2, System.currentTimeMillis()))
                .cause().isInstanceOf(StoreException.class).hasMessageContaining("answer was lost");
        assertThat(PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages WHERE lease_owner IS NOT NULL"))
                .as("leased by the claim whose answer was lost").isEqualTo(2);
        assertThat(names(claim(store, ORDERS, 10, System.currentTimeMillis()))).containsExactly("m1#1", "m2#1", "m3#1");
        assertThat(names(claim(store, ORDERS, 10, System.currentTimeMillis()))).isEmpty();
    }

    @Test
    void anExpiredMessageOfAClaimWhoseAnswerWasLostComesWithTheNextClaimOfExpiredMessages() throws Exception {
        PostgresStore store = stores.open();
        WireMessage expired = new WireMessage(WireDestination.queue("orders"), "old", 0, null, null, null, true, 4,
                System.currentTimeMillis() - 1_000, 0, Map.of(), BodyType.TEXT, new byte[0]);
        store.write(List.of(new StoreOp.AddMessage(store.ids().next(), ORDERS, expired))).get(20, TimeUnit.SECONDS);
        store.claims.loseAnswers(1);
        assertThatThrownBy(() -> store.claimExpired(10, System.currentTimeMillis(), Runnable::run)
                .get(20, TimeUnit.SECONDS)).cause().isInstanceOf(StoreException.class);
        assertThat(store.claimExpired(10, System.currentTimeMillis(), Runnable::run).get(20, TimeUnit.SECONDS))
                .extracting(e -> e.queueName() + " " + e.claimed().message().messageId()).containsExactly("orders old");
        assertThat(store.claimExpired(10, System.currentTimeMillis(), Runnable::run).get(20, TimeUnit.SECONDS))
                .isEmpty();
    }

    @Test
    void aBrokerTakenForDeadClaimsNothingAndIsFencedWithoutJoiningAgain() throws Exception {
        PostgresStore store = stores.open(db.withHeartbeatMillis(100).withStaleMillis(500), "host-a:5672");
        CompletableFuture<Void> fenced = fenced(store);
        add(store, ORDERS, "m1");
        assertThat(store.problem()).as("serving, its writes succeed").isNull();
        PostgresFixture.takeForDead(db, store.brokerId());
        assertThat(claim(store, ORDERS, 10, System.currentTimeMillis()).claimed())
                .as("claimed by a broker no longer among the brokers").isEmpty();
        fenced.get(20, TimeUnit.SECONDS);
        assertThat(store.problem()).as("readiness").startsWith("fenced");
        assertThat(stores.brokers()).as("joined again").isEmpty();
        assertThat(PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages WHERE lease_owner IS NULL"))
                .isEqualTo(1);
    }

    @Test
    void aBrokerWhoseHeartbeatCannotReachTheDatabaseFencesItselfBeforeTheOthersWouldTakeItForDead()
            throws Exception {
        // half a beat (250 ms) between the fence and the earliest reaping: room for a watchdog a busy machine wakes late
        PostgresSettings settings = db.withHeartbeatMillis(500).withStaleMillis(2_500);
        PostgresStore store = stores.open(settings, "host-a:5672");
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
        PostgresStore first = stores.open(db, "host-a:5672");
        add(first, ORDERS, "m1");
        assertThat(claim(first, ORDERS, 10, System.currentTimeMillis()).claimed()).hasSize(1);
        first.kill();
        // staleMillis is 10 s: only the address can have freed the message this soon
        PostgresStore again = stores.open(db, "host-a:5672");
        assertThat(names(claim(again, ORDERS, 10, System.currentTimeMillis()))).containsExactly("m1#1");
        assertThat(stores.brokers()).containsExactly("host-a:5672");
    }

    @Test
    void aCleanCloseHandsTheMessagesBackAndLeaves() throws Exception {
        PostgresStore a = stores.open(db, "host-a:5672");
        PostgresStore b = stores.open(db, "host-b:5672");
        add(a, ORDERS, "m1", "m2");
        assertThat(claim(a, ORDERS, 10, System.currentTimeMillis()).claimed()).hasSize(2);
        List<String> heard = listen(b);
        eventually("b listens", WAIT, () -> heard.contains("*"));
        a.close();
        eventually("b is woken for orders", WAIT, () -> heard.contains("orders"));
        assertThat(names(claim(b, ORDERS, 10, System.currentTimeMillis()))).containsExactly("m1#1", "m2#1");
        assertThat(stores.brokers()).containsExactly("host-b:5672");
    }

    @Test
    void aSharedSubscriptionLivesWhileSomeBrokerHoldsItAndGoesWithItsLastHolder() throws Exception {
        PostgresSettings fast = db.withHeartbeatMillis(100).withStaleMillis(600);
        PostgresStore a = stores.open(fast, "host-a:5672");
        PostgresStore b = stores.open(fast, "host-b:5672");
        DurableSubscription workers = new DurableSubscription(null, "workers", "news", null, false, true);
        long id = a.subscriptions().holdShared(a.ids().next(), workers).get(20, TimeUnit.SECONDS).id();
        assertThat(b.subscriptions().holdShared(b.ids().next(), workers).get(20, TimeUnit.SECONDS).id()).isEqualTo(id);
        // under another topic it is left as it is (the broker refuses that consumer)
        SharedSubscriptions.Held other = b.subscriptions().holdShared(b.ids().next(),
                new DurableSubscription(null, "workers", "sports", null, false, true)).get(20, TimeUnit.SECONDS);
        assertThat(other.id() + " " + other.terms().topic()).isEqualTo(id + " news");
        // a durable subscription of the same name is another one; a publication reaches both
        a.write(List.of(new StoreOp.AddSubscription(a.ids().next(), workers))).get(20, TimeUnit.SECONDS);
        a.write(List.of(new StoreOp.PublishToSubscriptions("news", message("n1", 4, 0), null)))
                .get(20, TimeUnit.SECONDS);
        assertThat(stores.rows("SELECT count(*) FROM tmq_messages")).containsExactly("2");

        a.subscriptions().giveBack(id).get(20, TimeUnit.SECONDS);
        assertThat(stores.rows("SELECT id FROM tmq_subscriptions WHERE NOT durable")).containsExactly(id + ""); // b holds it
        b.kill(); // taken for dead by a: its hold goes, and the subscription with its messages
        eventually("the dead broker's hold is reaped", WAIT,
                () -> stores.rows("SELECT count(*) FROM tmq_subscriptions WHERE NOT durable").equals(List.of("0")));
        assertThat(stores.rows("SELECT count(*) FROM tmq_messages")).containsExactly("1"); // the durable one's copy

        long again = a.subscriptions().holdShared(a.ids().next(), workers).get(20, TimeUnit.SECONDS).id();
        assertThat(again).isNotEqualTo(id);
        a.subscriptions().giveBack(again).get(20, TimeUnit.SECONDS);
        assertThat(stores.rows("SELECT count(*) FROM tmq_subscriptions WHERE NOT durable")).containsExactly("0");
    }

    @Test
    void aDurableSubscriptionIsRemovedOnlyWhileNoOtherLiveBrokerHoldsItAndOutlivesItsHolders() throws Exception {
        PostgresSettings fast = db.withHeartbeatMillis(100).withStaleMillis(600);
        PostgresStore a = stores.open(fast, "host-a:5672");
        PostgresStore b = stores.open(fast, "host-b:5672");
        long id = a.ids().next();
        a.write(List.of(new StoreOp.AddSubscription(id, new DurableSubscription(null, "audit", "news", null, false,
                true)), new StoreOp.PublishToSubscriptions("news", message("n1", 4, 0), null)))
                .get(20, TimeUnit.SECONDS);
        assertThat(b.subscriptions().holdDurable(id).get(20, TimeUnit.SECONDS)).isTrue();
        assertThat(a.subscriptions().removeUnheld(id).get(20, TimeUnit.SECONDS)).as("b's consumers use it").isFalse();
        assertThat(a.subscriptions().holdDurable(id).get(20, TimeUnit.SECONDS)).isTrue();
        assertThat(a.subscriptions().holdDurable(id).get(20, TimeUnit.SECONDS)).isTrue(); // held once however often asked
        assertThat(stores.rows("SELECT cardinality(holders) FROM tmq_subscriptions")).containsExactly("2");
        b.subscriptions().giveBack(id).get(20, TimeUnit.SECONDS);
        assertThat(b.subscriptions().removeUnheld(id).get(20, TimeUnit.SECONDS)).as("a's consumers use it").isFalse();
        a.subscriptions().giveBack(id).get(20, TimeUnit.SECONDS);
        assertThat(stores.rows("SELECT count(*) FROM tmq_subscriptions")).as("a durable one outlives its holders")
                .containsExactly("1");

        assertThat(b.subscriptions().holdDurable(id).get(20, TimeUnit.SECONDS)).isTrue();
        b.kill(); // taken for dead by a: its hold goes, the subscription and its message stay
        eventually("the dead broker's hold is reaped", WAIT,
                () -> stores.rows("SELECT cardinality(holders) FROM tmq_subscriptions").equals(List.of("0")));
        assertThat(stores.rows("SELECT count(*) FROM tmq_messages")).containsExactly("1");
        assertThat(a.subscriptions().removeUnheld(id).get(20, TimeUnit.SECONDS)).isTrue();
        assertThat(stores.rows("SELECT count(*) FROM tmq_subscriptions")).containsExactly("0");
        assertThat(stores.rows("SELECT count(*) FROM tmq_messages")).containsExactly("0");
        assertThat(a.subscriptions().holdDurable(id).get(20, TimeUnit.SECONDS)).as("gone").isFalse();
        assertThat(a.subscriptions().removeUnheld(id).get(20, TimeUnit.SECONDS)).as("gone already").isTrue();
    }

    @Test
    void aBrokersClientIdsGoWhenItLeavesOrIsTakenForDead() throws Exception {
        PostgresSettings fast = db.withHeartbeatMillis(100).withStaleMillis(600);
        PostgresStore a = stores.open(fast, "host-a:5672");
        PostgresStore b = stores.open(fast, "host-b:5672");
        assertThat(a.clientIds().claim(new SharedClientIds.Claim("app", "a-1", "alice", null, "k"))
                .get(20, TimeUnit.SECONDS)).isTrue();
        assertThat(b.clientIds().claim(new SharedClientIds.Claim("app", "b-1", "alice", null, null))
                .get(20, TimeUnit.SECONDS)).isFalse();
        assertThat(stores.rows("SELECT resume_hash <> 'k' FROM tmq_client_ids")).as("the key is kept hashed")
                .containsExactly("t");
        a.close();
        assertThat(stores.rows("SELECT count(*) FROM tmq_client_ids")).containsExactly("0");
        assertThat(b.clientIds().claim(new SharedClientIds.Claim("app", "b-1", "alice", null, null))
                .get(20, TimeUnit.SECONDS)).isTrue();
        PostgresStore c = stores.open(fast, "host-c:5672");
        b.kill();
        eventually("the dead broker's client IDs are reaped", WAIT,
                () -> stores.rows("SELECT count(*) FROM tmq_client_ids").equals(List.of("0")));
        assertThat(c.clientIds().claim(new SharedClientIds.Claim("app", "c-1", null, null, null))
                .get(20, TimeUnit.SECONDS)).isTrue();
    }
}
