package io.tunnelmq.jndi;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.pool.PooledConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.Queue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.naming.Context;
import javax.naming.InitialContext;
import java.io.Serializable;
import java.util.Hashtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code serializablePackages} in a JNDI-bound factory's URL, the way jndi.properties configures it. */
@Timeout(60)
class SerializablePackagesJndiTest {

    /** Outside the default allow-list. */
    record Receipt(String id) implements Serializable {
    }

    @Test
    void aJndiFactoryAppliesTheOptionOfItsUrl() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0))) {
            Hashtable<Object, Object> env = new Hashtable<>();
            env.put(Context.INITIAL_CONTEXT_FACTORY, TunnelInitialContextFactory.class.getName());
            env.put(Context.PROVIDER_URL, broker.url());
            env.put("connectionFactory.trusting", broker.url() + "?serializablePackages=com.example.,"
                    + "io.tunnelmq.jndi.SerializablePackagesJndiTest$");
            env.put("connectionFactory.pooled", broker.url() + "?pool=true&serializablePackages=io.tunnelmq.jndi.");
            env.put("connectionFactory.plain", "");
            env.put("connectionFactory.optionsOnly", "?serializablePackages=io.tunnelmq.jndi.");
            Context jndi = new InitialContext(env);
            assertThat(((TunnelConnectionFactory) jndi.lookup("trusting")).getOptions().serializablePackages())
                    .isEqualTo("com.example.,io.tunnelmq.jndi.SerializablePackagesJndiTest$");
            assertThat(((TunnelConnectionFactory) jndi.lookup("plain")).getOptions().serializablePackages()).isNull();
            // a value of options only: the provider URL with them
            TunnelConnectionFactory optionsOnly = (TunnelConnectionFactory) jndi.lookup("optionsOnly");
            assertThat(optionsOnly.getOptions().address()).isEqualTo(broker.url().substring("tmq://".length()));
            assertThat(optionsOnly.getOptions().serializablePackages()).isEqualTo("io.tunnelmq.jndi.");

            Receipt receipt = new Receipt("r-1");
            assertThat(roundTrip((ConnectionFactory) jndi.lookup("trusting"), "receipts.1", receipt))
                    .isEqualTo(receipt);
            assertThat(roundTrip(optionsOnly, "receipts.4", receipt)).isEqualTo(receipt);
            PooledConnectionFactory pooled = (PooledConnectionFactory) jndi.lookup("pooled");
            try {
                assertThat(roundTrip(pooled, "receipts.2", receipt)).isEqualTo(receipt);
            } finally {
                pooled.close();
            }
            assertThatThrownBy(() -> roundTrip((ConnectionFactory) jndi.lookup("plain"), "receipts.3", receipt))
                    .isInstanceOf(MessageFormatRuntimeException.class)
                    .hasMessageContaining(Receipt.class.getName()).hasMessageContaining("serializablePackages");
        }
    }

    private static Receipt roundTrip(ConnectionFactory factory, String queueName, Receipt receipt) {
        try (JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            Queue queue = context.createQueue(queueName);
            JMSConsumer consumer = context.createConsumer(queue);
            context.createProducer().send(queue, receipt);
            return consumer.receiveBody(Receipt.class, 5_000);
        }
    }
}
