package io.tunnelmq.server;

import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.Credit;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.queue.QueueStats;
import io.tunnelmq.server.store.StoreOpenException;
import io.tunnelmq.server.store.postgres.PostgresFixture;
import io.tunnelmq.server.store.postgres.PostgresSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.Messages.id;
import static io.tunnelmq.server.PersistenceTest.persistent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A broker with store=postgresql on a real PostgreSQL: what it stored comes back after a restart, through claims (the
 * database holds the queues; a broker holds what it claimed for its consumers).
 */
@Timeout(60)
class PostgresStoreBrokerTest {
    private static final WireDestination Q = WireDestination.queue("orders");
    private static final WireDestination NEWS = WireDestination.topic("news");

    @TempDir
    Path data;

    private final PostgresSettings db = PostgresFixture.newDatabase();
    private EmbeddedBroker broker;

    private EmbeddedBroker start() {
        broker = EmbeddedBroker.start(BrokerFixture.config().withDataDir(data).withPostgresqlStore(db)
                .withQueueOverride("orders", 0, 3));
        return broker;
    }

    private EmbeddedBroker restart() {
        broker.close();
        return start();
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private List<String> receive(TestClient client, int channel, int consumerId, int count) throws Exception {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Deliver d = client.awaitDelivery(channel, consumerId);
            got.add(id(d) + "@" + d.deliveryCount());
            client.settle(channel, SettleOutcome.COMPLETE, d.lockToken());
            client.send(new Credit(channel, consumerId, 1));
        }
        return got;
    }

    @Test
    void persistentMessagesSurviveARestartInOrderWithPrioritiesAndDeliveryCounts() throws Exception {
        start();
        try (TestClient client = TestClient.open(broker)) {
            int s = client.openSession(false);
            client.sendMessage(s, persistent(Q, "urgent", 9));
            client.createConsumer(s, 1, Q, 10);
            Deliver first = client.awaitDelivery(s, 1);
            assertThat(id(first)).isEqualTo("urgent");
            client.settle(s, SettleOutcome.ABANDON, first.lockToken()); // its next delivery carries count 2
            Deliver again = client.awaitDelivery(s, 1);
            assertThat(id(again) + "@" + again.deliveryCount()).isEqualTo("urgent@2");
            client.settle(s, SettleOutcome.ABANDON, again.lockToken()); // count 3 now
            Deliver third = client.awaitDelivery(s, 1);
            assertThat(id(third) + "@" + third.deliveryCount()).isEqualTo("urgent@3");
            // the connection goes with the third delivery never taken by an application: released, not lost, and
            // its count does not grow (as with the journal)
        }
        try (TestClient client = TestClient.open(broker)) {
            int s = client.openSession(false);
            client.sendMessage(s, persistent(Q, "p1"));
            client.sendMessage(s, persistent(Q, "p2"));
            client.sendMessage(s, persistent(Q, "p3"));
            client.sendMessage(s, Messages.text(Q, "not-persistent"));
        }
        eventually("the released message went back to the database", () -> unclaimed("orders") == 5);

        restart();
        // other brokers over the database deliver non-persistent messages too: they are stored (lazily)
        try (TestClient client = TestClient.open(broker)) {
            int s = client.openSession(false);
            client.createConsumer(s, 1, Q, 10);
            assertThat(receive(client, s, 1, 5)).containsExactly("urgent@3", "p1@1", "p2@1", "p3@1",
                    "not-persistent@1");
        }
        restart();
        eventually("completed messages are deleted", () -> rows("orders") == 0);
    }

    /** Messages of a queue in the database. */
    private long rows(String queue) {
        return PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages WHERE queue_name = '" + queue + "'");
    }

    /** Messages of a queue in the database that no broker holds. */
    private long unclaimed(String queue) {
        return PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages WHERE queue_name = '" + queue + "'"
                + " AND lease_owner IS NULL");
    }

    @Test
    void aDeadLetterMoveAndADurableSubscriptionSurviveARestart() throws Exception {
        start();
        try (TestClient reader = TestClient.connect(broker)) {
            reader.hello("reader", 0, Map.of());
            int s = reader.openSession(false);
            long id = reader.nextRequestId();
            reader.request(new CreateConsumer(s, id, 1, NEWS, null, false, "daily", true, false, 10), id);
        }
        try (TestClient client = TestClient.open(broker)) {
            int s = client.openSession(false);
            client.sendMessage(s, persistent(NEWS, "n1"));
            client.sendMessage(s, persistent(Q, "poison"));
            client.createConsumer(s, 1, Q, 10);
            for (int i = 0; i < 3; i++) {
                client.settle(s, SettleOutcome.ABANDON, client.awaitDelivery(s, 1).lockToken());
            }
            eventually("dead-lettered", () -> rows("DLQ.orders") == 1);
        }

        restart();
        assertThat(rows("orders")).isZero();
        assertThat(rows("DLQ.orders")).isEqualTo(1);
        try (TestClient reader = TestClient.connect(broker)) {
            reader.hello("reader", 0, Map.of());
            int s = reader.openSession(false);
            long id = reader.nextRequestId();
            reader.request(new CreateConsumer(s, id, 1, NEWS, null, false, "daily", true, false, 10), id);
            assertThat(receive(reader, s, 1, 1)).containsExactly("n1@1");
            reader.createConsumer(s, 2, WireDestination.queue("DLQ.orders"), 10);
            assertThat(receive(reader, s, 2, 1)).extracting(m -> m.substring(0, m.indexOf('@')))
                    .containsExactly("poison");
        }
    }

    @Test
    void aBacklogStaysInTheDatabaseAndTheBrokerHoldsOnlyWhatItsConsumersCanTake() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config().withDataDir(data).withPostgresqlStore(db)
                .withQueueMaxBytes(16 * 1024));
        try (TestClient client = TestClient.open(broker)) {
            int s = client.openSession(false);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                client.sendMessage(s, persistent(Q, "m" + i));
                sent.add("m" + i + "@1");
            }
            assertThat(broker.queueStats("orders").available()).as("nobody to claim for").isZero();
            assertThat(rows("orders")).isEqualTo(300);
            client.createConsumer(s, 1, Q, 10);
            Deliver first = client.awaitDelivery(s, 1);
            QueueStats held = broker.queueStats("orders");
            assertThat(held.available() + held.locked()).as("held: claimed for 10 credits")
                    .isLessThanOrEqualTo(10 + 64);
            List<String> got = new ArrayList<>();
            got.add(id(first) + "@" + first.deliveryCount());
            client.settle(s, SettleOutcome.COMPLETE, first.lockToken());
            client.send(new Credit(s, 1, 1));
            got.addAll(receive(client, s, 1, 299));
            assertThat(got).isEqualTo(sent);
        }
    }

    @Test
    void aBrokerThatCannotReachItsDatabaseRefusesToStartNamingIt() {
        PostgresSettings nowhere = db.withUrl("jdbc:postgresql://127.0.0.1:1/tunnelmq");
        assertThatThrownBy(() -> EmbeddedBroker.start(BrokerFixture.config().withDataDir(data)
                .withPostgresqlStore(nowhere)).close())
                .isInstanceOf(StoreOpenException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/tunnelmq as postgres")
                .hasMessageNotContaining(db.password());
    }
}
