package io.tunnelmq.jndi;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.pool.PooledConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.InitialContext;
import java.util.Hashtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code pool=true} in a factory's URL binds a PooledConnectionFactory configured by the pool.* options. */
@Timeout(30)
class PooledJndiTest {

    private static Context context(String... keysAndValues) throws Exception {
        Hashtable<Object, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, TunnelInitialContextFactory.class.getName());
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new InitialContext(env);
    }

    @Test
    void bindsAPooledFactoryThatWorks() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0))) {
            Context ctx = context(
                    "connectionFactory.pooled", broker.url() + "?pool=true&pool.maxConnections=4&prefetch=5"
                            + "&pool.maxSessionsPerConnection=7&pool.blockIfExhausted=false&pool.maxWait=1500"
                            + "&pool.timeBetweenEvictionRuns=1000&pool.minIdleTime=2000&pool.poolConsumers=true",
                    "connectionFactory.plain", broker.url() + "?pool=false&prefetch=5",
                    "queue.orders", "orders");
            PooledConnectionFactory pooled = (PooledConnectionFactory) ctx.lookup("pooled");
            assertThat(pooled.getMaxConnections()).isEqualTo(4);
            assertThat(pooled.getMaxSessionsPerConnection()).isEqualTo(7);
            assertThat(pooled.isBlockIfExhausted()).isFalse();
            assertThat(pooled.getMaxWaitMillis()).isEqualTo(1500);
            assertThat(pooled.getTimeBetweenEvictionRunsMillis()).isEqualTo(1000);
            assertThat(pooled.getMinIdleTimeMillis()).isEqualTo(2000);
            assertThat(pooled.isPoolConsumers()).isTrue();
            assertThat(((TunnelConnectionFactory) ctx.lookup("plain")).getOptions().prefetch()).isEqualTo(5);
            try {
                Queue orders = (Queue) ctx.lookup("orders");
                try (JMSContext context = pooled.createContext()) {
                    context.createProducer().send(orders, "via jndi");
                }
                try (JMSContext context = ((ConnectionFactory) ctx.lookup("pooled")).createContext()) {
                    assertThat(context.createConsumer(orders).receiveBody(String.class, 2_000)).isEqualTo("via jndi");
                }
                assertThat(pooled.getNumIdleConnections()).isEqualTo(1);
            } finally {
                pooled.close();
            }
        }
    }

    @Test
    void poolOptionsWithoutThePoolOrUnknownOnesAreConfigurationErrors() {
        assertThatThrownBy(() -> context("connectionFactory.x", "tmq://h:1?pool.maxConnections=4"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pool=true");
        assertThatThrownBy(() -> context("connectionFactory.x", "tmq://h:1?pool=true&pool.maxConections=4"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pool.maxConections");
        assertThatThrownBy(() -> context("connectionFactory.x", "tmq://h:1?pool=yes"))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> context("connectionFactory.x", "tmq://h:1?pool=true&pool.maxConnections=0"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("maxConnections");
    }
}
