package io.tunnelmq.jndi;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.TunnelQueue;
import io.tunnelmq.jms.TunnelTopic;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.naming.CompositeName;
import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.OperationNotSupportedException;
import java.io.StringReader;
import java.util.Collections;
import java.util.Hashtable;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class TunnelInitialContextFactoryTest {

    private static Context context(String properties) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(properties));
        Hashtable<Object, Object> env = new Hashtable<>(p);
        env.put(Context.INITIAL_CONTEXT_FACTORY, TunnelInitialContextFactory.class.getName());
        return new InitialContext(env);
    }

    @Test
    void bindsConfiguredFactoriesQueuesAndTopics() throws Exception {
        Context ctx = context("""
                java.naming.provider.url = tmq://broker.example:7000
                connectionFactory.myFactory = tmq://other:7001?clientID=orders-app&prefetch=7
                connectionfactory.lower = tmq://lower:7002
                connectionFactory.fromProvider =
                queue.jms/orders = orders.eu
                topic.prices = market.prices
                """);
        TunnelConnectionFactory cf = (TunnelConnectionFactory) ctx.lookup("myFactory");
        assertThat(cf.getOptions().host()).isEqualTo("other");
        assertThat(cf.getOptions().port()).isEqualTo(7001);
        assertThat(cf.getOptions().clientId()).isEqualTo("orders-app");
        assertThat(cf.getOptions().prefetch()).isEqualTo(7);
        assertThat(((TunnelConnectionFactory) ctx.lookup("lower")).getOptions().port()).isEqualTo(7002);
        assertThat(((TunnelConnectionFactory) ctx.lookup("fromProvider")).getOptions().address())
                .isEqualTo("broker.example:7000");
        assertThat(((Queue) ctx.lookup("jms/orders")).getQueueName()).isEqualTo("orders.eu");
        assertThat(((Topic) ctx.lookup("prices")).getTopicName()).isEqualTo("market.prices");
        // configuring a factory replaces the defaults
        assertThatThrownBy(() -> ctx.lookup("ConnectionFactory")).isInstanceOf(NameNotFoundException.class);
    }

    @Test
    void withoutConfiguredFactoryTheDefaultNamesUseTheProviderUrl() throws Exception {
        Context ctx = context("java.naming.provider.url = tmq://127.0.0.1:1234?clientID=app\n");
        for (String name : new String[] {"ConnectionFactory", "QueueConnectionFactory", "TopicConnectionFactory"}) {
            Object o = ctx.lookup(name);
            assertThat(o).isInstanceOf(ConnectionFactory.class).isInstanceOf(QueueConnectionFactory.class)
                    .isInstanceOf(TopicConnectionFactory.class);
            assertThat(((TunnelConnectionFactory) o).getOptions().port()).isEqualTo(1234);
            assertThat(((TunnelConnectionFactory) o).getOptions().clientId()).isEqualTo("app");
        }
    }

    @Test
    void withoutProviderUrlTheDefaultIsLocalhost() throws Exception {
        TunnelConnectionFactory cf = (TunnelConnectionFactory) context("").lookup("ConnectionFactory");
        assertThat(cf.getOptions().address()).isEqualTo("localhost:9494");
    }

    @Test
    void namesMayContainSlashColonAndEquals() throws Exception {
        Context ctx = context("""
                queue.cn\\=A = physicalA
                queue.java\\:comp/env/jms/q = physicalB
                connectionFactory.cn\\=ConnectionFactory = tmq://h:1
                topic.a/b/c = t
                """);
        assertThat(((TunnelQueue) ctx.lookup("cn=A")).getQueueName()).isEqualTo("physicalA");
        assertThat(((TunnelQueue) ctx.lookup("java:comp/env/jms/q")).getQueueName()).isEqualTo("physicalB");
        assertThat(ctx.lookup("cn=ConnectionFactory")).isInstanceOf(TunnelConnectionFactory.class);
        assertThat(((TunnelTopic) ctx.lookup("a/b/c")).getTopicName()).isEqualTo("t");
        // a Name made of several components means the same flat name
        assertThat(ctx.lookup(new CompositeName("a/b/c"))).isEqualTo(new TunnelTopic("t"));
    }

    @Test
    void dynamicDestinationsNeedNoConfiguration() throws Exception {
        Context ctx = context("");
        assertThat(ctx.lookup("dynamicQueues/orders/eu")).isEqualTo(new TunnelQueue("orders/eu"));
        assertThat(ctx.lookup("dynamicTopics/news")).isEqualTo(new TunnelTopic("news"));
        assertThatThrownBy(() -> ctx.lookup("dynamicQueues/")).isInstanceOf(NameNotFoundException.class);
    }

    @Test
    void unknownNameIsReportedWithTheKeyToConfigure() throws Exception {
        Context ctx = context("queue.a = b\n");
        assertThatThrownBy(() -> ctx.lookup("jms/missing"))
                .isInstanceOf(NameNotFoundException.class)
                .hasMessageContaining("'jms/missing'")
                .hasMessageContaining("queue.jms/missing=");
    }

    @Test
    void badFactoryUrlNamesTheKey() {
        assertThatThrownBy(() -> context("connectionFactory.cf = http://nope:80\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("connectionFactory.cf")
                .hasMessageContaining("tmq://");
        assertThatThrownBy(() -> context("connectionFactory.cf = tmq://h:1?bogus=1\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("bogus");
        assertThatThrownBy(() -> context("java.naming.provider.url = tmq://h:notaport\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(Context.PROVIDER_URL);
    }

    @Test
    void aBrokerListAndTheReconnectOptionsWorkThroughJndiProperties() throws Exception {
        Context ctx = context("""
                java.naming.provider.url = tmq://p1:1,[::1]:2
                connectionFactory.failover = tmq://a:1,b:2,c?reconnectTimeout=5000&randomize=true&prefetch=3
                connectionFactory.pooled = tmq://a:1,b:2?pool=true&reconnect=false
                connectionFactory.fromProvider = ?reconnectDelay=250
                """);
        TunnelConnectionFactory cf = (TunnelConnectionFactory) ctx.lookup("failover");
        assertThat(cf.getOptions().addresses()).containsExactly("a:1", "b:2", "c:9494");
        assertThat(cf.getOptions().reconnect().timeoutMillis()).isEqualTo(5_000);
        assertThat(cf.getOptions().reconnect().randomize()).isTrue();
        assertThat(cf.getOptions().prefetch()).isEqualTo(3);
        assertThat(ctx.lookup("pooled")).isInstanceOf(io.tunnelmq.jms.pool.PooledConnectionFactory.class);
        TunnelConnectionFactory fromProvider = (TunnelConnectionFactory) ctx.lookup("fromProvider");
        assertThat(fromProvider.getOptions().addresses()).containsExactly("p1:1", "[::1]:2");
        assertThat(fromProvider.getOptions().reconnect().delayMillis()).isEqualTo(250);
        assertThatThrownBy(() -> context("connectionFactory.cf = tmq://a:1,b:x?reconnect=true\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("connectionFactory.cf").hasMessageContaining("'b:x'");
        assertThatThrownBy(() -> context("connectionFactory.cf = tmq://a:1,b:2?reconnect=maybe\n"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("must be true or false");
    }

    @Test
    void emptyDestinationValueIsAConfigurationError() {
        assertThatThrownBy(() -> context("queue.orders =\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("queue.orders");
    }

    @Test
    void systemPropertiesFillInWhatTheEnvironmentLacks() throws Exception {
        System.setProperty("queue.fromSystem", "sysq");
        System.setProperty("queue.both", "fromSystem");
        try {
            Context ctx = context("queue.both = fromEnvironment\n");
            assertThat(ctx.lookup("fromSystem")).isEqualTo(new TunnelQueue("sysq"));
            assertThat(ctx.lookup("both")).isEqualTo(new TunnelQueue("fromEnvironment"));
        } finally {
            System.clearProperty("queue.fromSystem");
            System.clearProperty("queue.both");
        }
    }

    @Test
    void runtimeBindingsAndListing() throws Exception {
        Context ctx = context("queue.a = qa\n");
        ctx.bind("extra", new TunnelQueue("x"));
        assertThatThrownBy(() -> ctx.bind("extra", new TunnelQueue("y"))).isInstanceOf(NamingException.class);
        ctx.rebind("extra", new TunnelQueue("y"));
        assertThat(ctx.lookup("extra")).isEqualTo(new TunnelQueue("y"));
        ctx.rename("extra", "renamed");
        assertThat(ctx.lookup("renamed")).isEqualTo(new TunnelQueue("y"));
        assertThat(Collections.list(ctx.list("")).stream().map(p -> p.getName()))
                .contains("a", "renamed", "ConnectionFactory");
        ctx.unbind("renamed");
        assertThatThrownBy(() -> ctx.lookup("renamed")).isInstanceOf(NameNotFoundException.class);
        assertThatThrownBy(() -> ctx.createSubcontext("sub")).isInstanceOf(OperationNotSupportedException.class);
    }

    @Test
    void closedContextRefusesLookups() throws Exception {
        Context ctx = new TunnelInitialContextFactory().getInitialContext(new Hashtable<>());
        ctx.close();
        assertThatThrownBy(() -> ctx.lookup("ConnectionFactory")).isInstanceOf(NamingException.class)
                .hasMessageContaining("closed");
    }
}
