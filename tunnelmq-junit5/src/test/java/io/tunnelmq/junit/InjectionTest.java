package io.tunnelmq.junit;

import io.tunnelmq.jms.TunnelConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every injected type reaches the class's broker; a JMSContext is closed after the test it was made for. */
@EmbeddedTunnelMQ
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(30)
class InjectionTest {
    private static JMSContext contextOfAnEarlierTest;

    @Test
    void theUrlIsTheBrokersAndAcceptsConnections(@BrokerUrl String url, TunnelMQBroker broker) throws JMSException {
        assertThat(url).isEqualTo(broker.url()).startsWith("tmq://127.0.0.1:");

        assertThat(roundTrip(new TunnelConnectionFactory(url), "injection.url")).isEqualTo("over the url");
    }

    @Test
    void theConnectionFactoryConnectsToTheBroker(ConnectionFactory factory, TunnelMQBroker broker) throws JMSException {
        assertThat(factory).isInstanceOf(TunnelConnectionFactory.class);
        assertThat(((TunnelConnectionFactory) factory).getOptions().port()).isEqualTo(broker.embeddedBroker().port());

        assertThat(roundTrip(factory, "injection.factory")).isEqualTo("over the url");
    }

    @Test
    @Order(1)
    void theJmsContextSendsAndReceives(JMSContext context) {
        contextOfAnEarlierTest = context;
        Queue queue = context.createQueue("injection.context");
        context.createProducer().send(queue, "through the context");

        assertThat(context.createConsumer(queue).receiveBody(String.class, 5_000)).isEqualTo("through the context");
    }

    @Test
    @Order(2)
    void theJmsContextIsClosedAfterItsTest() {
        assertThat(contextOfAnEarlierTest).as("the earlier test ran").isNotNull();

        assertThatThrownBy(() -> contextOfAnEarlierTest.createQueue("injection.closed"))
                .isInstanceOf(IllegalStateRuntimeException.class);
    }

    private static String roundTrip(ConnectionFactory factory, String queueName) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(queueName);
            session.createProducer(queue).send(session.createTextMessage("over the url"));
            MessageConsumer consumer = session.createConsumer(queue);
            return ((TextMessage) consumer.receive(5_000)).getText();
        }
    }
}
