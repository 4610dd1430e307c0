package io.tunnelmq.server;

import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.Unsubscribe;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.management.JmxBeans;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.management.RuntimeMBeanException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The broker's MBeans, read and operated through the platform MBean server as a JMX console would. */
@Timeout(30)
class JmxBeansTest {
    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    private EmbeddedBroker broker;
    private String address;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerFixture.config());
        address = broker.host() + ":" + broker.port();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void queueBeansShowFiguresAndPurge() throws Exception {
        try (TestClient client = TestClient.open(broker)) {
            int out = client.openSession(false);
            for (int i = 0; i < 3; i++) {
                client.sendMessage(out, text(WireDestination.queue("orders"), "m" + i));
            }
            ObjectName orders = JmxBeans.queueName(address, "orders");
            assertThat(jmx.isRegistered(orders)).isTrue();
            assertThat(jmx.getAttribute(orders, "Messages")).isEqualTo(3L);
            assertThat(jmx.getAttribute(orders, "Available")).isEqualTo(3L);
            assertThat(jmx.getAttribute(orders, "Enqueued")).isEqualTo(3L);
            assertThat(jmx.getAttribute(orders, "Consumers")).isEqualTo(0);

            ObjectName brokerBean = JmxBeans.brokerName(address);
            assertThat(jmx.getAttribute(brokerBean, "Connections")).isEqualTo(1);
            assertThat(jmx.getAttribute(brokerBean, "Sessions")).isEqualTo(1L);
            assertThat(jmx.getAttribute(brokerBean, "LoginsOverdue")).isEqualTo(0L);
            assertThat(jmx.getAttribute(brokerBean, "TlsReloads")).isEqualTo(0L);
            assertThat(jmx.getAttribute(brokerBean, "TlsReloadFailures")).isEqualTo(0L);
            assertThat((String[]) jmx.getAttribute(brokerBean, "QueueNames")).containsExactly("orders");
            List<String> consoleEnded = new CopyOnWriteArrayList<>();
            broker.management().consoleSessions(user -> consoleEnded.add(user) ? 1 : 0);
            assertThat(jmx.invoke(brokerBean, "closeConnectionsOf", new Object[] {"nobody"},
                    new String[] {"java.lang.String"})).as("a user with no connection").isEqualTo(0);
            assertThat(consoleEnded).as("its console sessions ended").containsExactly("nobody");
            assertThat((String[]) jmx.getAttribute(brokerBean, "Problems")).isEmpty();
            broker.management().problems().watch(() -> "users.properties line 2: no hash", "the old users stay");
            assertThat((String[]) jmx.getAttribute(brokerBean, "Problems"))
                    .containsExactly("users.properties line 2: no hash; the old users stay");
            assertThat(jmx.getAttribute(brokerBean, "Connections")).isEqualTo(1);

            assertThat(jmx.invoke(orders, "purge", new Object[0], new String[0])).isEqualTo(3);
            assertThat(jmx.getAttribute(orders, "Messages")).isEqualTo(0L);
            assertThat(jmx.getAttribute(orders, "Purged")).isEqualTo(3L);

            client.sendMessage(out, text(WireDestination.queue("orders"), "again"));
            assertThat(jmx.invoke(brokerBean, "purge", new Object[] {"orders"}, new String[] {"java.lang.String"}))
                    .isEqualTo(1);
        }
    }

    @Test
    void deletingAQueueUnregistersItsBean() throws Exception {
        try (TestClient client = TestClient.open(broker)) {
            int out = client.openSession(false);
            client.sendMessage(out, text(WireDestination.queue("gone"), "m"));
            ObjectName gone = JmxBeans.queueName(address, "gone");
            assertThat(jmx.isRegistered(gone)).isTrue();

            jmx.invoke(gone, "delete", new Object[0], new String[0]);

            assertThat(jmx.isRegistered(gone)).isFalse();
            assertThat(broker.management().queueFigures("gone")).isEmpty();
            assertThatThrownBy(() -> jmx.invoke(JmxBeans.brokerName(address), "purge", new Object[] {"gone"},
                    new String[] {"java.lang.String"}))
                    .isInstanceOf(RuntimeMBeanException.class)
                    .rootCause().hasMessageContaining("there is no queue 'gone'");
        }
    }

    @Test
    void aQueueWithConsumersIsNotDeleted() throws Exception {
        try (TestClient client = TestClient.open(broker)) {
            int in = client.openSession(false);
            client.createConsumer(in, 1, WireDestination.queue("busy"), 10);
            ObjectName busy = JmxBeans.queueName(address, "busy");
            assertThatThrownBy(() -> jmx.invoke(busy, "delete", new Object[0], new String[0]))
                    .rootCause().hasMessageContaining("has 1 consumer(s); close them first");
            assertThat(jmx.isRegistered(busy)).isTrue();
        }
    }

    @Test
    void closingTheBrokerUnregistersEveryBean() throws Exception {
        try (TestClient client = TestClient.open(broker)) {
            client.sendMessage(client.openSession(false), text(WireDestination.queue("q"), "m"));
        }
        broker.close();
        List<ObjectName> left = List.copyOf(jmx.queryNames(new ObjectName(JmxBeans.DOMAIN + ":broker="
                + ObjectName.quote(address) + ",*"), null));
        assertThat(left).isEmpty();
    }

    @Test
    void queueAndBrokerBeansBrowseMoveAndListConnections() throws Exception {
        try (TestClient client = TestClient.open(broker)) {
            int out = client.openSession(false);
            for (int i = 0; i < 3; i++) {
                client.sendMessage(out, text(WireDestination.queue("orders"), "m" + i));
            }
            ObjectName orders = JmxBeans.queueName(address, "orders");
            String table = (String) jmx.invoke(orders, "browse", new Object[] {"seq <> 'm1'", 10},
                    new String[] {String.class.getName(), int.class.getName()});
            assertThat(table.lines().toList()).hasSize(3);
            assertThat(table).startsWith("id ").contains("m0").contains("m2").doesNotContain("body of m1");

            assertThat(jmx.invoke(orders, "moveMessages", new Object[] {"other", "", false},
                    new String[] {String.class.getName(), String.class.getName(), boolean.class.getName()}))
                    .isEqualTo(3);
            assertThat(broker.queueDepth("other")).isEqualTo(3);

            ObjectName brokerBean = JmxBeans.brokerName(address);
            String connections = (String) jmx.invoke(brokerBean, "listConnections", new Object[0], new String[0]);
            assertThat(connections.lines().toList()).hasSize(2);
            assertThat(connections).contains("127.0.0.1:");
            assertThat((String) jmx.invoke(brokerBean, "listDestinations", new Object[0], new String[0]))
                    .contains("orders").contains("other");
            assertThatThrownBy(() -> jmx.invoke(orders, "browse", new Object[] {"a >", 10},
                    new String[] {String.class.getName(), int.class.getName()}))
                    .rootCause().hasMessageContaining("invalid selector");
        }
    }

    @Test
    void aDurableSubscriptionHasABeanUntilItIsUnsubscribed() throws Exception {
        try (TestClient client = TestClient.connect(broker)) {
            client.hello("app1", 0, Map.of());
            int in = client.openSession(false);
            WireDestination news = WireDestination.topic("news");
            client.createDurableConsumer(in, 1, news, "digest", "seq <> 'm1'", 10);
            ObjectName digest = JmxBeans.subscriptionName(address, "news:app1.digest");
            assertThat(jmx.isRegistered(digest)).isTrue();
            assertThat(jmx.getAttribute(digest, "Name")).isEqualTo("news:app1.digest");
            assertThat(jmx.getAttribute(digest, "Topic")).isEqualTo("news");
            assertThat(jmx.getAttribute(digest, "ClientId")).isEqualTo("app1");
            assertThat(jmx.getAttribute(digest, "SubscriptionName")).isEqualTo("digest");
            assertThat(jmx.getAttribute(digest, "Durable")).isEqualTo(true);
            assertThat(jmx.getAttribute(digest, "Shared")).isEqualTo(false);
            assertThat(jmx.getAttribute(digest, "Selector")).isEqualTo("seq <> 'm1'");
            assertThat(jmx.getAttribute(digest, "Consumers")).isEqualTo(1);
            assertThatThrownBy(() -> jmx.invoke(digest, "unsubscribe", new Object[0], new String[0]))
                    .rootCause().hasMessageContaining("has 1 active consumer(s); close them first");
            client.closeConsumer(in, 1);

            int out = client.openSession(false);
            for (int i = 0; i < 3; i++) {
                client.sendMessage(out, text(news, "m" + i));
            }
            assertThat(jmx.getAttribute(digest, "Messages")).isEqualTo(2L);
            assertThat(jmx.getAttribute(digest, "Consumers")).isEqualTo(0);
            String table = (String) jmx.invoke(digest, "browse", new Object[] {"", 10},
                    new String[] {String.class.getName(), int.class.getName()});
            assertThat(table).contains("m0").contains("m2");
            assertThat(jmx.invoke(digest, "purge", new Object[0], new String[0])).isEqualTo(2);
            assertThat(jmx.getAttribute(digest, "Purged")).isEqualTo(2L);

            jmx.invoke(digest, "unsubscribe", new Object[0], new String[0]);
            assertThat(jmx.isRegistered(digest)).isFalse();
            assertThat(broker.management().queueFigures("news:app1.digest")).isEmpty();
        }
    }

    @Test
    void aSharedSubscriptionHasABeanWhileItHasConsumers() throws Exception {
        try (TestClient client = TestClient.open(broker)) {
            int in = client.openSession(false);
            for (int consumer = 1; consumer <= 2; consumer++) {
                long id = client.nextRequestId();
                client.request(new CreateConsumer(in, id, consumer, WireDestination.topic("prices"), null, false,
                        "ticker", false, true, 10, 0, List.of()), id);
            }
            ObjectName ticker = JmxBeans.subscriptionName(address, "prices:ticker");
            assertThatThrownBy(() -> jmx.invoke(ticker, "unsubscribe", new Object[0], new String[0]))
                    .rootCause().hasMessageContaining("shared non-durable subscription");
            assertThat(jmx.getAttribute(ticker, "Shared")).isEqualTo(true);
            assertThat(jmx.getAttribute(ticker, "Durable")).isEqualTo(false);
            assertThat(jmx.getAttribute(ticker, "ClientId")).isEqualTo("");
            assertThat(jmx.getAttribute(ticker, "Consumers")).isEqualTo(2);

            client.closeConsumer(in, 1);
            assertThat(jmx.isRegistered(ticker)).isTrue();
            client.closeConsumer(in, 2);
            assertThat(jmx.isRegistered(ticker)).isFalse();
        }
    }

    @Test
    void anApplicationsUnsubscribeRemovesTheBean() throws Exception {
        try (TestClient client = TestClient.connect(broker)) {
            client.hello("app1", 0, Map.of());
            int in = client.openSession(false);
            client.createDurableConsumer(in, 1, WireDestination.topic("news"), "digest", 10);
            client.closeConsumer(in, 1);
            ObjectName digest = JmxBeans.subscriptionName(address, "news:app1.digest");
            assertThat(jmx.isRegistered(digest)).isTrue();
            long unsubscribe = client.nextRequestId();
            client.request(new Unsubscribe(in, unsubscribe, "digest"), unsubscribe);
            assertThat(jmx.isRegistered(digest)).isFalse();
        }
    }

    @Test
    void aChangedDurableSubscriptionShowsItsNewTerms(@TempDir Path dir) throws Exception {
        broker.close();
        broker = EmbeddedBroker.start(BrokerFixture.config().withJournal(dir));
        address = broker.host() + ":" + broker.port();
        try (TestClient client = TestClient.connect(broker)) {
            client.hello("app1", 0, Map.of());
            int in = client.openSession(false);
            client.createDurableConsumer(in, 1, WireDestination.topic("news"), "digest", "a = 1", 10);
            client.closeConsumer(in, 1);
            client.createDurableConsumer(in, 2, WireDestination.topic("news"), "digest", "a = 2", 10);
        }
        ObjectName digest = JmxBeans.subscriptionName(address, "news:app1.digest");
        assertThat(jmx.getAttribute(digest, "Selector")).isEqualTo("a = 2");

        broker.close();
        assertThat(jmx.isRegistered(digest)).isFalse();
        broker = EmbeddedBroker.start(BrokerFixture.config().withJournal(dir));
        ObjectName recovered = JmxBeans.subscriptionName(broker.host() + ":" + broker.port(), "news:app1.digest");
        assertThat(jmx.isRegistered(recovered)).as("recovered from the journal").isTrue();
        assertThat(jmx.getAttribute(recovered, "Selector")).isEqualTo("a = 2");
    }
}
