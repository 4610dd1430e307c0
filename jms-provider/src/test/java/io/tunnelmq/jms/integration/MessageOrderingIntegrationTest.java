package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.tunnelmq.jms.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** Priority order, expiration and delivery delay through the real client, tunnel and broker. */
@Timeout(60)
class MessageOrderingIntegrationTest {
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

    @Test
    void higherPriorityIsDeliveredFirstAndFifoWithinAPriority() throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("order.priority");
            MessageProducer producer = session.createProducer(queue);
            int[] priorities = {0, 9, 4, 9, 0, 4, 7};
            for (int i = 0; i < priorities.length; i++) {
                producer.send(session.createTextMessage("p" + priorities[i] + "-" + i), DeliveryMode.NON_PERSISTENT,
                        priorities[i], 0);
            }
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < priorities.length; i++) {
                TextMessage m = (TextMessage) consumer.receive(5_000);
                assertThat(m).as("message %d", i).isNotNull();
                got.add(m.getText());
            }
            assertThat(got).containsExactly("p9-1", "p9-3", "p7-6", "p4-2", "p4-5", "p0-0", "p0-4");
        }
    }

    @Test
    void anExpiredMessageIsNeverDelivered() throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("order.expiry");
            MessageProducer producer = session.createProducer(queue);
            producer.send(session.createTextMessage("short-lived"), DeliveryMode.NON_PERSISTENT, 4, 50);
            long sentAt = System.currentTimeMillis();
            producer.send(session.createTextMessage("lasting"));
            // wait on the clock, not on a hope: the first message's expiration has passed once this returns
            eventually("the clock to pass the expiry", Duration.ofSeconds(5), () -> System.currentTimeMillis() > sentAt + 200);
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            TextMessage m = (TextMessage) consumer.receive(5_000);
            assertThat(m.getText()).isEqualTo("lasting");
            assertThat(consumer.receive(300)).isNull();
        }
    }

    @Test
    void anExpiredMessageMovesToTheConfiguredExpiryQueue() throws Exception {
        try (EmbeddedBroker moving = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0)
                .withExpiryQueue("ExpiryQueue"));
             Connection connection = new TunnelConnectionFactory(moving.url()).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("order.expiring"));
            producer.send(session.createTextMessage("stale"), DeliveryMode.NON_PERSISTENT, 4, 50);
            // nobody consumes order.expiring: the broker's sweep moves the message within about a second
            MessageConsumer expired = session.createConsumer(session.createQueue("ExpiryQueue"));
            connection.start();
            TextMessage m = (TextMessage) expired.receive(10_000);
            assertThat(m).isNotNull();
            assertThat(m.getText()).isEqualTo("stale");
            assertThat(m.getStringProperty("JMS_TMQ_OriginalDestination")).isEqualTo("order.expiring");
            assertThat(m.getJMSExpiration()).isZero();
            assertThat(moving.queueStats("order.expiring").depth()).isZero();
        }
    }

    @Test
    void aDelayedMessageIsNotDeliveredBeforeItsDeliveryTime() throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("order.delay");
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            MessageProducer producer = session.createProducer(queue);
            producer.setDeliveryDelay(1_000);
            long before = System.currentTimeMillis();
            producer.send(session.createTextMessage("delayed"));
            producer.setDeliveryDelay(0);
            producer.send(session.createTextMessage("at once"));
            assertThat(((TextMessage) consumer.receive(5_000)).getText()).isEqualTo("at once");
            TextMessage delayed = (TextMessage) consumer.receive(5_000);
            assertThat(delayed.getText()).isEqualTo("delayed");
            assertThat(System.currentTimeMillis() - before).isGreaterThanOrEqualTo(1_000);
            assertThat(delayed.getJMSDeliveryTime()).isGreaterThanOrEqualTo(before + 1_000);
        }
    }

    @Test
    void deliveryDelayAppliesToTopicSubscriptions() throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic("order.delay.topic");
            MessageConsumer consumer = session.createConsumer(topic);
            connection.start();
            MessageProducer producer = session.createProducer(topic);
            producer.setDeliveryDelay(800);
            long before = System.currentTimeMillis();
            producer.send(session.createTextMessage("delayed"));
            TextMessage m = (TextMessage) consumer.receive(5_000);
            assertThat(m.getText()).isEqualTo("delayed");
            assertThat(System.currentTimeMillis() - before).isGreaterThanOrEqualTo(800);
        }
    }
}
