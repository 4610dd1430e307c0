package io.tunnelmq.server;

import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.management.JmxBeans;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.management.RuntimeMBeanException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.List;

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
            assertThat((String[]) jmx.getAttribute(brokerBean, "QueueNames")).containsExactly("orders");

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
}
