package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.Serializable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Messages created and received by a factory's connections deserialize with that factory's serializablePackages. */
@Timeout(60)
class ObjectMessageAllowListTest {
    private static final long WAIT = 5_000;
    private static final String TRUSTED = "serializablePackages=io.tunnelmq.jms.integration.";

    /** Outside the default allow-list. */
    record Invoice(String id, long cents) implements Serializable {
    }

    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void aFactoryWithTheOptionReadsTheObjectsOthersRefuse() throws Exception {
        TunnelConnectionFactory trusting = new TunnelConnectionFactory(broker.url() + "?" + TRUSTED);
        TunnelConnectionFactory plain = new TunnelConnectionFactory(broker.url());
        Invoice invoice = new Invoice("i-1", 1999);
        try (JMSContext context = plain.createContext()) {
            Queue queue = context.createQueue("invoices");
            context.createProducer().send(queue, invoice).send(queue, invoice);
            ObjectMessage refused = (ObjectMessage) context.createConsumer(queue).receive(WAIT);
            assertThatThrownBy(refused::getObject).isInstanceOf(MessageFormatException.class)
                    .hasMessageContaining(Invoice.class.getName()).hasMessageContaining("serializablePackages");
        }
        try (Connection connection = trusting.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("invoices");
            try (QueueBrowser browser = session.createBrowser(queue)) {
                ObjectMessage browsed = (ObjectMessage) browser.getEnumeration().nextElement();
                assertThat(browsed.getObject()).isEqualTo(invoice);
            }
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            ObjectMessage received = (ObjectMessage) consumer.receive(WAIT);
            assertThat(received.getObject()).isEqualTo(invoice);
            assertThat(received.getBody(Invoice.class)).isEqualTo(invoice);
            assertThat(session.createObjectMessage(invoice).getObject()).isEqualTo(invoice);
        }
        try (JMSContext context = trusting.createContext()) {
            assertThat(context.createObjectMessage(invoice).getBody(Invoice.class)).isEqualTo(invoice);
        }
    }
}
