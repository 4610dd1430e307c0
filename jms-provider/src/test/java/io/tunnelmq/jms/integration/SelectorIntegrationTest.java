package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Message selectors on queues and topics through the real client, tunnel and broker. */
@Timeout(60)
class SelectorIntegrationTest {
    private EmbeddedBroker broker;
    private TunnelConnectionFactory factory;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        factory = new TunnelConnectionFactory(broker.url());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private static void send(Session session, MessageProducer producer, String text, String color, int weight)
            throws Exception {
        TextMessage m = session.createTextMessage(text);
        m.setStringProperty("color", color);
        m.setIntProperty("weight", weight);
        m.setJMSType("fruit");
        producer.send(m);
    }

    private static List<String> drain(MessageConsumer consumer, long firstWaitMillis) throws Exception {
        List<String> texts = new ArrayList<>();
        Message m = consumer.receive(firstWaitMillis);
        while (m != null) {
            texts.add(((TextMessage) m).getText());
            m = consumer.receiveNoWait();
            if (m == null) {
                m = consumer.receive(300);
            }
        }
        return texts;
    }

    @Test
    void queueConsumersReceiveOnlyWhatTheySelectAndNothingIsStuck() throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("sel.queue");
            MessageProducer producer = session.createProducer(queue);
            send(session, producer, "apple", "red", 150);
            send(session, producer, "plum", "blue", 40);
            send(session, producer, "cherry", "red", 10);
            send(session, producer, "melon", "green", 2000);
            send(session, producer, "berry", "blue", 5);

            MessageConsumer heavyRed = session.createConsumer(queue,
                    "color = 'red' AND weight BETWEEN 100 AND 1000 AND JMSType = 'fruit'");
            connection.start();
            assertThat(drain(heavyRed, 5_000)).containsExactly("apple");

            MessageConsumer blue = session.createConsumer(queue, "color IN ('blue') OR weight > 1500");
            assertThat(drain(blue, 5_000)).containsExactly("plum", "melon", "berry");

            MessageConsumer rest = session.createConsumer(queue);
            assertThat(drain(rest, 5_000)).containsExactly("cherry");
        }
        assertThat(broker.queueStats("sel.queue").available()).isZero();
    }

    @Test
    void aConsumerWithoutSelectorAndASelectingOneShareAQueue() throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("sel.shared");
            MessageConsumer nulls = session.createConsumer(queue, "color IS NULL");
            connection.start();
            MessageProducer producer = session.createProducer(queue);
            send(session, producer, "coloured", "red", 1);
            producer.send(session.createTextMessage("plain"));
            assertThat(drain(nulls, 5_000)).containsExactly("plain");
            MessageConsumer all = session.createConsumer(queue, "   ");
            assertThat(all.getMessageSelector()).isNull();
            assertThat(drain(all, 5_000)).containsExactly("coloured");
        }
    }

    @Test
    void topicSubscriptionsFilterWhenAMessageIsPublished() throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic("sel.topic");
            MessageConsumer red = session.createConsumer(topic, "color = 'red'");
            MessageConsumer light = session.createConsumer(topic, "weight < 100");
            MessageConsumer all = session.createConsumer(topic);
            connection.start();
            MessageProducer producer = session.createProducer(topic);
            send(session, producer, "apple", "red", 150);
            send(session, producer, "plum", "blue", 40);
            send(session, producer, "cherry", "red", 10);

            assertThat(drain(red, 5_000)).containsExactly("apple", "cherry");
            assertThat(drain(light, 5_000)).containsExactly("plum", "cherry");
            assertThat(drain(all, 5_000)).containsExactly("apple", "plum", "cherry");
        }
    }

    @Test
    void anInvalidSelectorIsRefusedAtCreationSayingWhereAndWhy() throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("sel.invalid");
            assertThatThrownBy(() -> session.createConsumer(queue, "a >"))
                    .isInstanceOf(InvalidSelectorException.class)
                    .hasMessageContaining("selector 'a >' is invalid at position 3: expected an operand");
            assertThatThrownBy(() -> session.createConsumer(session.createTopic("sel.invalid.topic"),
                    "color IN (1)"))
                    .isInstanceOf(InvalidSelectorException.class)
                    .hasMessageContaining("at position 10");
            // the session is still usable
            MessageConsumer ok = session.createConsumer(queue, "a > 1");
            assertThat(ok.getMessageSelector()).isEqualTo("a > 1");
        }
    }

    @Test
    void jmsContextGivesTheRuntimeException() {
        try (JMSContext context = factory.createContext()) {
            Queue queue = context.createQueue("sel.context");
            assertThatThrownBy(() -> context.createConsumer(queue, "color = 'red"))
                    .isInstanceOf(InvalidSelectorRuntimeException.class)
                    .hasMessageContaining("string literal is not closed");
            context.createProducer().setProperty("color", "red").send(queue, "hello");
            try (JMSConsumer consumer = context.createConsumer(queue, "color = 'red'")) {
                assertThat(consumer.receiveBody(String.class, 5_000)).isEqualTo("hello");
            }
        }
    }
}
