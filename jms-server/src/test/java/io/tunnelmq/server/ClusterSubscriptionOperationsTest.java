package io.tunnelmq.server;

import io.tunnelmq.protocol.frame.AdminOperation;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.management.AdminAuthority;
import io.tunnelmq.server.management.AdminCommands;
import io.tunnelmq.server.management.AdminTable;
import io.tunnelmq.server.management.DestinationView;
import io.tunnelmq.server.management.JmxBeans;
import io.tunnelmq.server.management.MessageView;
import io.tunnelmq.server.store.postgres.PostgresFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.tunnelmq.server.PersistenceTest.persistent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator's view of a topic's subscriptions over a shared database: a durable or shared subscription's copies in
 * the database are browsed, purged, moved and counted from any broker, whichever broker holds its consumer; a
 * non-durable one's from its own broker ({@link ClusterOperationsTest} does the same for queues).
 */
@Timeout(60)
class ClusterSubscriptionOperationsTest extends BrokerPairBase {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String STORED_COPIES = "SELECT count(*) FROM tmq_messages WHERE subscription_id IS NOT NULL";

    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    @Test
    void aDurableSubscriptionIsBrowsedAndPurgedWithItsMessagesInTheStoreFromEitherBroker() throws Exception {
        WireDestination news = WireDestination.topic("news");
        try (TestClient reader = TestClient.connect(a); TestClient onA = TestClient.open(a)) {
            reader.hello("reader", 0, Map.of());
            int s = reader.openSession(false);
            reader.createDurableConsumer(s, 1, news, "daily", "JMSMessageID <> 'x'", 2);
            int p = onA.openSession(false);
            for (int i = 0; i < 6; i++) {
                onA.sendMessage(p, persistent(news, "n" + i));
            }
            onA.sendMessage(p, persistent(news, "x")); // the store holds a copy its selector drops
            reader.awaitDelivery(s, 1);
            reader.awaitDelivery(s, 1); // locked on A: its consumer has no more credit
            BrokerFixture.eventually("B learned of the subscription", WAIT,
                    () -> b.destinations().subscriptions().size() == 1);

            String daily = "news:reader.daily";
            List<String> all = List.of("n0", "n1", "n2", "n3", "n4", "n5");
            assertThat(b.management().browse(daily, null, 10)).as("B holds none of them: all are in the store")
                    .extracting(MessageView::messageId).containsExactlyElementsOf(all);
            assertThat(b.management().browse(daily, null, 10)).extracting(MessageView::state).containsOnly("stored");
            assertThat(a.management().browse(daily, "JMSMessageID IN ('n2', 'n3', 'n4', 'n5')", 10))
                    .as("what A holds, then the store's").extracting(MessageView::messageId)
                    .containsExactly("n2", "n3", "n4", "n5");
            assertThat(a.management().browse(daily, null, 10)).extracting(MessageView::state).startsWith("locked",
                    "locked");

            b.management().purge(daily);
            BrokerFixture.eventually("its consumer's two are all the store holds of it", WAIT, () -> PostgresFixture
                    .count(db, STORED_COPIES) == 2);
            BrokerFixture.eventually("A drops what it claimed ahead", WAIT,
                    () -> a.management().browse(daily, null, 10).size() == 2);
            assertThat(b.management().browse(daily, null, 10)).extracting(MessageView::messageId)
                    .containsExactly("n0", "n1");
        }
    }

    @Test
    void aNonDurableSubscriptionIsPurgedWithItsMessagesInTheStore() throws Exception {
        WireDestination news = WireDestination.topic("news");
        try (TestClient reader = TestClient.open(a); TestClient onB = TestClient.open(b)) {
            int s = reader.openSession(false);
            reader.createConsumer(s, 1, news, 1);
            BrokerFixture.eventually("B knows the subscription's row", WAIT, () -> PostgresFixture.count(db,
                    "SELECT count(*) FROM tmq_subscriptions") == 1);
            int p = onB.openSession(false);
            for (int i = 0; i < 100; i++) {
                onB.sendMessage(p, persistent(news, "n" + i));
            }
            reader.awaitDelivery(s, 1); // locked: its consumer has no more credit
            String name = a.management().destinations().stream().filter(v -> v.kind().equals("subscription"))
                    .map(DestinationView::name).findFirst().orElseThrow();
            assertThat(a.management().browse(name, null, 200)).as("what A holds, then the store's").hasSize(100);
            ConsoleHttp console = new ConsoleHttp(a);
            BrokerFixture.eventually("A's metrics count the topic's unnamed subscriptions in the store", WAIT,
                    () -> console.metrics().contains("tunnelmq_cluster_queue_messages"
                            + "{queue=\"news:(non-durable)\",type=\"subscription\"} 100.0"));

            a.management().purge(name);

            assertThat(PostgresFixture.count(db, STORED_COPIES))
                    .as("its consumer's message").isEqualTo(1);
            assertThat(a.management().browse(name, null, 200)).extracting(MessageView::messageId).containsExactly("n0");
        }
    }

    @Test
    void aDurableSubscriptionsMessagesInTheStoreAreMovedAndCopiedFromABrokerWithoutItsConsumer() throws Exception {
        WireDestination news = WireDestination.topic("news");
        String daily = "news:reader.daily";
        try (TestClient reader = TestClient.connect(b)) {
            reader.hello("reader", 0, Map.of());
            reader.createDurableConsumer(reader.openSession(false), 1, news, "daily", "JMSMessageID <> 'x'", 1);
        } // the subscription stays without a consumer: no broker claims its copies
        BrokerFixture.eventually("A learned of the subscription", WAIT,
                () -> a.destinations().subscriptions().size() == 1);
        try (TestClient onB = TestClient.open(b)) {
            int p = onB.openSession(false);
            for (int i = 0; i < 4; i++) {
                onB.sendMessage(p, persistent(news, "n" + i));
            }
            onB.sendMessage(p, persistent(news, "x")); // the store holds a copy its selector drops
        }
        BrokerFixture.eventually("A counts the subscription's copies in the store", WAIT,
                () -> a.management().storedMessages(daily).equals(Optional.of(5L)));
        AdminTable queues = new AdminCommands(a.management()).run(AdminOperation.QUEUES, Map.of(), AdminAuthority.ALL);
        assertThat(queues.rows()).anySatisfy(row -> assertThat(row).startsWith(daily, "subscription").endsWith("5"));
        ConsoleHttp console = new ConsoleHttp(a);
        assertThat(console.get("/console/api/queues").body())
                .containsPattern("\\{\"name\":\"news:reader.daily\",\"kind\":\"subscription\"[^}]*\"stored\":5,");
        assertThat(console.get("/console/api/queue?name=news:reader.daily").body()).contains("\"stored\":5,");
        assertThat(console.metrics()).contains(
                "tunnelmq_cluster_queue_messages{queue=\"news:reader.daily\",type=\"subscription\"} 5.0");

        assertThat(a.management().moveMessages(daily, "archive", "JMSMessageID <> 'n3'", false).moved())
                .isEqualTo(3);
        assertThat(rows("archive")).isEqualTo(3);
        assertThat(a.management().moveMessages(daily, "backup", null, true).moved()).as("n3; x is not its own")
                .isEqualTo(1);
        assertThat(rows("backup")).isEqualTo(1);
        assertThat(PostgresFixture.count(db, STORED_COPIES))
                .as("n3 copied, x handed back").isEqualTo(2);

        try (TestClient reader = TestClient.connect(a)) { // where the declines of the move were made
            reader.hello("reader", 0, Map.of());
            int s = reader.openSession(false);
            reader.createDurableConsumer(s, 1, news, "daily", "JMSMessageID <> 'x'", 5);
            assertThat(reader.awaitDelivery(s, 1).message().messageId()).as("not chosen, not declined for good")
                    .isEqualTo("n3");
        }
    }

    private long rows(String queue) {
        return PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages WHERE queue_name = '" + queue + "'");
    }

    @Test
    void aDurableSubscriptionMadeOnOneBrokerIsUnsubscribedByAnOperatorOnTheOther() throws Exception {
        try (TestClient reader = TestClient.connect(a)) {
            reader.hello("reader", 0, Map.of());
            int s = reader.openSession(false);
            reader.createDurableConsumer(s, 1, WireDestination.topic("news"), "daily", 2);
            ObjectName onB = JmxBeans.subscriptionName(b.host() + ":" + b.port(), "news:reader.daily");
            BrokerFixture.eventually("B has a bean for the subscription A made", WAIT, () -> jmx.isRegistered(onB));
            reader.closeConsumer(s, 1);

            b.management().delete("news:reader.daily");
            BrokerFixture.eventually("A forgot it", WAIT, () -> a.destinations().subscriptions().size() == 0);
            assertThat(jmx.isRegistered(JmxBeans.subscriptionName(a.host() + ":" + a.port(), "news:reader.daily")))
                    .isFalse();
            assertThat(jmx.isRegistered(onB)).isFalse();
            assertThat(PostgresFixture.count(db, "SELECT count(*) FROM tmq_subscriptions WHERE name = 'daily'")).isZero();
        }
    }

    @Test
    void aNoLocalSubscriptionsBrowseLeavesOutWhatItsConsumersConnectionPublished() throws Exception {
        try (TestClient reader = TestClient.connect(a); TestClient other = TestClient.open(b)) {
            reader.hello("reader", 0, Map.of());
            int s = reader.openSession(false);
            // no credit: the copies stay in the store
            reader.createDurableConsumer(s, 1, WireDestination.topic("news"), "remote", null, true, 0);
            reader.sendMessage(s, persistent(WireDestination.topic("news"), "own"));
            other.sendMessage(other.openSession(false), persistent(WireDestination.topic("news"), "theirs"));
            BrokerFixture.eventually("B learned of the subscription", WAIT,
                    () -> b.destinations().subscriptions().size() == 1);
            BrokerFixture.eventually("both copies are stored", WAIT, () -> PostgresFixture.count(db,
                    STORED_COPIES) == 2);

            assertThat(a.management().browse("news:reader.remote", null, 10)).extracting(MessageView::messageId)
                    .as("its consumer's own publication is not its to deliver").containsExactly("theirs");
        }
    }
}
