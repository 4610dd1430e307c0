package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.Queue;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JMSConsumer.receiveBody when the body cannot be returned as asked: what happens to the message per ack mode. */
@Timeout(60)
class ReceiveBodyTest {
    private static final long WAIT = 5_000;

    private EmbeddedBroker broker;
    private TunnelConnectionFactory factory;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        factory = new TunnelConnectionFactory(broker.url());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void autoAcknowledgeHandsARefusedMessageOutAgainFirstAndNotAsARedelivery() throws Exception {
        try (JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            Queue queue = context.createQueue("body.auto");
            JMSConsumer consumer = context.createConsumer(queue);
            context.createProducer().send(queue, "first").send(queue, "second");

            assertThatThrownBy(() -> consumer.receiveBody(Boolean.class)).isInstanceOf(MessageFormatRuntimeException.class)
                    .hasMessageContaining("cannot be returned as java.lang.Boolean");
            assertThatThrownBy(() -> consumer.receiveBody(Integer.class, WAIT))
                    .isInstanceOf(MessageFormatRuntimeException.class);

            TextMessage again = (TextMessage) consumer.receive(WAIT);
            assertThat(again.getText()).isEqualTo("first");
            assertThat(again.getJMSRedelivered()).isFalse();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
            assertThat(consumer.receiveBody(String.class, WAIT)).isEqualTo("second");
            assertThat(consumer.receiveBodyNoWait(String.class)).isNull();
        }
        assertThat(broker.queueDepth("body.auto")).isZero();
    }

    @Test
    void clientAcknowledgeCountsARefusedMessageAsDelivered() throws Exception {
        try (JMSContext context = factory.createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            Queue queue = context.createQueue("body.client");
            JMSConsumer consumer = context.createConsumer(queue);
            context.createProducer().send(queue, "first").send(queue, "second");

            assertThatThrownBy(() -> consumer.receiveBody(Boolean.class, WAIT))
                    .isInstanceOf(MessageFormatRuntimeException.class);
            assertThat(consumer.receiveBody(String.class, WAIT)).isEqualTo("second");

            context.recover();
            TextMessage redelivered = (TextMessage) consumer.receive(WAIT);
            assertThat(redelivered.getText()).isEqualTo("first");
            assertThat(redelivered.getJMSRedelivered()).isTrue();
            assertThat(consumer.receive(WAIT).getBody(String.class)).isEqualTo("second");
            context.acknowledge();
        }
        assertThat(broker.queueDepth("body.client")).isZero();
    }

    @Test
    void plainAndStreamMessagesHaveNoBodyReceiveBodyCanReturn() throws Exception {
        try (JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            Queue queue = context.createQueue("body.kinds");
            JMSConsumer consumer = context.createConsumer(queue);
            StreamMessage stream = context.createStreamMessage();
            stream.writeInt(7);
            context.createProducer().send(queue, context.createMessage()).send(queue, stream)
                    .send(queue, context.createTextMessage());

            assertThatThrownBy(() -> consumer.receiveBody(Object.class, WAIT))
                    .isInstanceOf(MessageFormatRuntimeException.class).hasMessageContaining("plain Message");
            Message plain = consumer.receive(WAIT);
            assertThat(plain).isNotInstanceOf(TextMessage.class);
            assertThatThrownBy(() -> consumer.receiveBody(Object.class, WAIT))
                    .isInstanceOf(MessageFormatRuntimeException.class).hasMessageContaining("StreamMessage");
            assertThat(((StreamMessage) consumer.receive(WAIT)).readInt()).isEqualTo(7);
            // a text message without text has no body: null, and the message is consumed
            assertThat(consumer.receiveBody(String.class, WAIT)).isNull();
            assertThat(consumer.receiveNoWait()).isNull();
        }
    }
}
