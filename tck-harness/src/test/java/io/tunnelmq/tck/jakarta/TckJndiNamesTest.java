package io.tunnelmq.tck.jakarta;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.naming.InitialContext;
import java.util.Hashtable;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The names the TCK looks up resolve, through our JNDI factory, to objects of the types it casts them to. */
@Timeout(30)
class TckJndiNamesTest {

    @Test
    void everyNameTheTckUsesIsBoundToAUsableObject() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0))) {
            InitialContext ctx = new InitialContext(new Hashtable<>(TckJndiNames.systemProperties(broker.url())));
            for (String name : TckJndiNames.FACTORIES) {
                assertThat(ctx.lookup(name)).isInstanceOf(QueueConnectionFactory.class)
                        .isInstanceOf(TopicConnectionFactory.class);
            }
            for (String name : TckJndiNames.QUEUES) {
                assertThat(((Queue) ctx.lookup(name)).getQueueName()).isEqualTo(name);
            }
            for (String name : TckJndiNames.TOPICS) {
                assertThat(((Topic) ctx.lookup(name)).getTopicName()).isEqualTo(name);
            }
            TunnelConnectionFactory durable = (TunnelConnectionFactory) ctx.lookup(TckJndiNames.DURABLE_FACTORY);
            try (Connection c = durable.createConnection()) {
                assertThat(c.getClientID()).isEqualTo("cts");
                assertThatThrownBy(() -> c.setClientID("other")).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    @Test
    void aBrokerUrlWithOptionsOrAnotherSchemeIsRefused() {
        assertThatThrownBy(() -> TckJndiNames.systemProperties("tmq://h:1?prefetch=1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without options");
        assertThatThrownBy(() -> TckJndiNames.systemProperties("tcp://h:1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TckJndiNames.systemProperties(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDurableFactoryCarriesTheClientIdAndTheOthersDoNot() {
        Map<String, String> props = TckJndiNames.systemProperties("tmq://127.0.0.1:9");
        assertThat(props).containsEntry("connectionFactory.DURABLE_SUB_CONNECTION_FACTORY",
                "tmq://127.0.0.1:9?clientID=cts");
        assertThat(props).containsEntry("connectionFactory.MyConnectionFactory", "tmq://127.0.0.1:9");
    }
}
