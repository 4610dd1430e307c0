package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Queue traffic through the real client, tunnel and broker. */
@Timeout(60)
class QueueEndToEndTest {
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
    void headersAndPropertiesOfTextAndBytesMessagesSurviveTheTrip() throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("e2e.headers");
            Queue replyTo = session.createQueue("e2e.replies");
            MessageProducer producer = session.createProducer(queue);

            TextMessage text = session.createTextMessage("grüße ✓");
            text.setJMSCorrelationID("corr-1");
            text.setJMSType("greeting");
            text.setJMSReplyTo(replyTo);
            text.setBooleanProperty("bool", true);
            text.setByteProperty("byte", (byte) 7);
            text.setShortProperty("short", (short) 300);
            text.setIntProperty("int", 70_000);
            text.setLongProperty("long", 1L << 40);
            text.setFloatProperty("float", 1.25f);
            text.setDoubleProperty("double", 2.5);
            text.setStringProperty("string", "value");
            producer.send(text, DeliveryMode.NON_PERSISTENT, 7, 60_000);

            BytesMessage bytes = session.createBytesMessage();
            bytes.writeInt(42);
            bytes.writeUTF("tail");
            producer.send(bytes);

            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            TextMessage got = (TextMessage) consumer.receive(5_000);
            assertThat(got.getText()).isEqualTo("grüße ✓");
            assertThat(got.getJMSMessageID()).isEqualTo(text.getJMSMessageID()).startsWith("ID:");
            assertThat(got.getJMSCorrelationID()).isEqualTo("corr-1");
            assertThat(got.getJMSType()).isEqualTo("greeting");
            assertThat(got.getJMSReplyTo()).isEqualTo(replyTo);
            assertThat(got.getJMSDestination()).isEqualTo(queue);
            assertThat(got.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
            assertThat(got.getJMSPriority()).isEqualTo(7);
            assertThat(got.getJMSExpiration()).isGreaterThan(System.currentTimeMillis());
            assertThat(got.getJMSTimestamp()).isEqualTo(text.getJMSTimestamp()).isPositive();
            assertThat(got.getJMSRedelivered()).isFalse();
            assertThat(got.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
            assertThat(got.getBooleanProperty("bool")).isTrue();
            assertThat(got.getByteProperty("byte")).isEqualTo((byte) 7);
            assertThat(got.getShortProperty("short")).isEqualTo((short) 300);
            assertThat(got.getIntProperty("int")).isEqualTo(70_000);
            assertThat(got.getLongProperty("long")).isEqualTo(1L << 40);
            assertThat(got.getFloatProperty("float")).isEqualTo(1.25f);
            assertThat(got.getDoubleProperty("double")).isEqualTo(2.5);
            assertThat(got.getStringProperty("string")).isEqualTo("value");

            BytesMessage gotBytes = (BytesMessage) consumer.receive(5_000);
            assertThat(gotBytes.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            assertThat(gotBytes.readInt()).isEqualTo(42);
            assertThat(gotBytes.readUTF()).isEqualTo("tail");
        }
    }

    @Test
    void listenerReceivesEveryMessageInOrder() throws Exception {
        int count = 1000;
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(count);
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("e2e.listener");
            session.createConsumer(queue).setMessageListener(m -> {
                try {
                    received.add(((TextMessage) m).getText());
                } catch (Exception e) {
                    received.add("error: " + e);
                }
                all.countDown();
            });
            connection.start();
            Session sending = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = sending.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            for (int i = 0; i < count; i++) {
                producer.send(sending.createTextMessage("m" + i));
            }
            assertThat(all.await(30, TimeUnit.SECONDS)).as("all %d delivered, got %d", count, received.size()).isTrue();
        }
        for (int i = 0; i < count; i++) {
            assertThat(received.get(i)).isEqualTo("m" + i);
        }
    }

    @Test
    void stoppedConnectionDeliversNothingUntilStarted() throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("e2e.stopped");
            session.createProducer(queue).send(session.createTextMessage("held"));
            MessageConsumer consumer = session.createConsumer(queue);
            assertThat(consumer.receive(300)).isNull();
            connection.start();
            assertThat(((TextMessage) consumer.receive(5_000)).getText()).isEqualTo("held");
            connection.stop();
            session.createProducer(queue).send(session.createTextMessage("after stop"));
            assertThat(consumer.receiveNoWait()).isNull();
            connection.start();
            assertThat(((TextMessage) consumer.receive(5_000)).getText()).isEqualTo("after stop");
        }
    }

    @Test
    void receiveTimesOutOnAnEmptyQueueAndMessagesStayForTheNextConsumer() throws Exception {
        try (JMSContext context = factory.createContext()) {
            Queue queue = context.createQueue("e2e.empty");
            JMSConsumer consumer = context.createConsumer(queue);
            long start = System.nanoTime();
            assertThat(consumer.receive(200)).isNull();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(150);
            assertThat(consumer.receiveNoWait()).isNull();
            consumer.close();
            context.createProducer().send(queue, "for later");
        }
        try (JMSContext context = factory.createContext()) {
            assertThat(context.createConsumer(context.createQueue("e2e.empty")).receiveBody(String.class, 5_000))
                    .isEqualTo("for later");
        }
    }

    @Test
    void unacknowledgedMessageOfAClosedSessionIsRedeliveredToTheNextConsumer() throws Exception {
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session first = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = first.createQueue("e2e.abandon");
            first.createProducer(queue).send(first.createTextMessage("once more"));
            Message m = first.createConsumer(queue).receive(5_000);
            assertThat(m.getJMSRedelivered()).isFalse();
            first.close();

            Session second = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message again = second.createConsumer(queue).receive(5_000);
            assertThat(((TextMessage) again).getText()).isEqualTo("once more");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        }
    }
}
