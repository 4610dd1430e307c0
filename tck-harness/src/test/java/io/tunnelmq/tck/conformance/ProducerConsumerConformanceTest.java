package io.tunnelmq.tck.conformance;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JMS 2.0 simplified API rules the Jakarta TCK checks in its core20 packages (queues only). */
@Timeout(30)
class ProducerConsumerConformanceTest {
    private static final long RECEIVE_MILLIS = 10_000;

    private EmbeddedBroker broker;
    private JMSContext context;
    private Queue queue;

    @BeforeEach
    void connect() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        context = new TunnelConnectionFactory(broker.url()).createContext();
        queue = context.createQueue("simplified");
    }

    @AfterEach
    void close() {
        try {
            context.close();
        } finally {
            broker.close();
        }
    }

    @Test
    void producerPropertiesAndHeadersApplyToEverySend() throws Exception {
        JMSConsumer consumer = context.createConsumer(queue);
        JMSProducer producer = context.createProducer()
                .setProperty("i", 7).setProperty("s", "8").setProperty("b", true)
                .setJMSCorrelationID("c").setJMSType("t").setPriority(6)
                .setDeliveryMode(DeliveryMode.NON_PERSISTENT).setTimeToLive(60_000);
        assertThat(producer.getIntProperty("s")).isEqualTo(8);
        assertThat(producer.getStringProperty("i")).isEqualTo("7");
        assertThatThrownBy(() -> producer.getIntProperty("b")).isInstanceOf(MessageFormatRuntimeException.class);
        assertThat(producer.propertyExists("i")).isTrue();
        assertThat(producer.getPropertyNames()).containsExactlyInAnyOrder("i", "s", "b");

        producer.send(queue, "one");
        Message m = consumer.receive(RECEIVE_MILLIS);
        assertThat(m.getIntProperty("i")).isEqualTo(7);
        assertThat(m.getJMSCorrelationID()).isEqualTo("c");
        assertThat(m.getJMSType()).isEqualTo("t");
        assertThat(m.getJMSPriority()).isEqualTo(6);
        assertThat(m.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(m.getJMSExpiration()).isGreaterThan(m.getJMSTimestamp());

        producer.clearProperties();
        assertThat(producer.getPropertyNames()).isEmpty();
        producer.send(queue, "two");
        assertThat(consumer.receive(RECEIVE_MILLIS).propertyExists("i")).isFalse();
    }

    @Test
    void everyBodyKindCanBeSentAndReceivedAsItsBody() throws Exception {
        JMSConsumer consumer = context.createConsumer(queue);
        JMSProducer producer = context.createProducer();
        producer.send(queue, "text");
        assertThat(consumer.receiveBody(String.class, RECEIVE_MILLIS)).isEqualTo("text");
        producer.send(queue, new byte[] {1, 2});
        assertThat(consumer.receiveBody(byte[].class, RECEIVE_MILLIS)).containsExactly(1, 2);
        producer.send(queue, Map.of("k", 1));
        assertThat(consumer.receiveBody(Map.class, RECEIVE_MILLIS)).containsEntry("k", 1);
        producer.send(queue, 42L);
        assertThat(consumer.receiveBody(Long.class, RECEIVE_MILLIS)).isEqualTo(42L);
        producer.send(queue, (String) null);
        Message nullText = consumer.receive(RECEIVE_MILLIS);
        assertThat(nullText).isInstanceOf(TextMessage.class);
        assertThat(nullText.getBody(String.class)).isNull();
    }

    @Test
    void receiveBodyOfTheWrongTypeThrowsAndLeavesTheMessageToBeReceivedAgain() {
        JMSConsumer consumer = context.createConsumer(queue);
        context.createProducer().send(queue, "not bytes");
        assertThatThrownBy(() -> consumer.receiveBody(byte[].class, RECEIVE_MILLIS))
                .isInstanceOf(MessageFormatRuntimeException.class);
        assertThat(consumer.receiveBody(String.class, RECEIVE_MILLIS)).isEqualTo("not bytes");
    }

    @Test
    void aMessageObjectCanBeSentAndTheProducerOverridesItsHeaders() throws Exception {
        JMSConsumer consumer = context.createConsumer(queue);
        BytesMessage m = context.createBytesMessage();
        m.writeLong(5);
        m.setJMSPriority(1);
        context.createProducer().setPriority(8).send(queue, m);
        assertThat(m.getJMSPriority()).isEqualTo(8);
        BytesMessage r = (BytesMessage) consumer.receive(RECEIVE_MILLIS);
        assertThat(r.readLong()).isEqualTo(5);
        assertThat(r.getJMSPriority()).isEqualTo(8);
    }
}
