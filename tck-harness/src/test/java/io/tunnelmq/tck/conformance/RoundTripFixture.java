package io.tunnelmq.tck.conformance;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.assertj.core.api.Assertions.assertThat;

/** A broker, a started connection, an AUTO_ACKNOWLEDGE session and a queue, for tests that send a message and read it back. */
abstract class RoundTripFixture {
    static final long RECEIVE_MILLIS = 10_000;

    EmbeddedBroker broker;
    Connection connection;
    Session session;
    Queue queue;

    /** The queue the round trips go through. */
    abstract String queueName();

    @BeforeEach
    void connect() throws JMSException {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        connection = new TunnelConnectionFactory(broker.url()).createConnection();
        connection.start();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        queue = session.createQueue(queueName());
    }

    @AfterEach
    void close() throws JMSException {
        try {
            connection.close();
        } finally {
            broker.close();
        }
    }

    /** Sends the message to the queue and returns what a consumer receives. */
    Message roundTrip(Message sent) throws JMSException {
        try (MessageProducer producer = session.createProducer(queue);
             MessageConsumer consumer = session.createConsumer(queue)) {
            producer.send(sent);
            Message received = consumer.receive(RECEIVE_MILLIS);
            assertThat(received).as("message received back").isNotNull();
            return received;
        }
    }
}
