package io.tunnelmq.tck.conformance;

import io.tunnelmq.jms.TunnelConnectionFactory;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageEOFException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Message-model rules of Jakarta Messaging 3.1 that the Jakarta TCK checks and Joram does not, run through a real
 * broker: headers set by send, read-only received messages, {@code getBody}, JMS 2.0 delivery time.
 */
@Timeout(30)
class MessageModelConformanceTest extends RoundTripFixture {
    @Override
    String queueName() {
        return "conformance";
    }

    @Test
    void sendSetsTheHeadersOnTheSentObjectAndTheyArrive() throws JMSException {
        TextMessage m = session.createTextMessage("h");
        long before = System.currentTimeMillis();
        Message received = roundTrip(m);
        long after = System.currentTimeMillis();

        assertThat(m.getJMSMessageID()).startsWith("ID:");
        assertThat(m.getJMSTimestamp()).isBetween(before, after);
        assertThat(m.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(m.getJMSPriority()).isEqualTo(Message.DEFAULT_PRIORITY);
        assertThat(m.getJMSExpiration()).isZero();
        assertThat(m.getJMSDestination()).isEqualTo(queue);
        assertThat(m.getJMSDeliveryTime()).as("JMSDeliveryTime with no delay").isEqualTo(m.getJMSTimestamp());

        assertThat(received.getJMSMessageID()).isEqualTo(m.getJMSMessageID());
        assertThat(received.getJMSTimestamp()).isEqualTo(m.getJMSTimestamp());
        assertThat(received.getJMSDeliveryTime()).isEqualTo(m.getJMSDeliveryTime());
        assertThat(received.getJMSDestination()).isEqualTo(queue);
        assertThat(received.getJMSRedelivered()).isFalse();
        assertThat(received.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
    }

    @Test
    void timeToLiveSetsExpirationAndSendArgumentsOverrideTheMessage() throws JMSException {
        TextMessage m = session.createTextMessage("ttl");
        m.setJMSPriority(1);
        try (MessageProducer producer = session.createProducer(queue)) {
            producer.send(m, DeliveryMode.NON_PERSISTENT, 7, 60_000);
        }
        assertThat(m.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(m.getJMSPriority()).isEqualTo(7);
        assertThat(m.getJMSExpiration()).isEqualTo(m.getJMSTimestamp() + 60_000);
        try (MessageConsumer consumer = session.createConsumer(queue)) {
            Message received = consumer.receive(RECEIVE_MILLIS);
            assertThat(received.getJMSExpiration()).isEqualTo(m.getJMSExpiration());
            assertThat(received.getJMSPriority()).isEqualTo(7);
            assertThat(received.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        }
    }

    @Test
    void invalidSendArgumentsAreRefused() throws JMSException {
        try (MessageProducer producer = session.createProducer(queue)) {
            Message m = session.createMessage();
            assertThatThrownBy(() -> producer.send(m, DeliveryMode.PERSISTENT, 10, 0)).isInstanceOf(JMSException.class);
            assertThatThrownBy(() -> producer.send(m, 42, 4, 0)).isInstanceOf(JMSException.class);
            assertThatThrownBy(() -> producer.setPriority(-1)).isInstanceOf(JMSException.class);
            assertThatThrownBy(() -> producer.setDeliveryMode(3)).isInstanceOf(JMSException.class);
        }
    }

    @Test
    void aReceivedMessageIsReadOnlyUntilCleared() throws JMSException {
        TextMessage sent = session.createTextMessage("ro");
        sent.setStringProperty("p", "v");
        TextMessage received = (TextMessage) roundTrip(sent);

        assertThatThrownBy(() -> received.setText("x")).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> received.setIntProperty("q", 1)).isInstanceOf(MessageNotWriteableException.class);
        received.clearProperties();
        assertThat(received.propertyExists("p")).isFalse();
        received.setIntProperty("q", 1);
        received.clearBody();
        assertThat(received.getText()).isNull();
        received.setText("again");
        assertThat(received.getText()).isEqualTo("again");
    }

    @Test
    void aReceivedBytesMessageIsReadableAndCanBeRewrittenAfterClearBody() throws JMSException {
        BytesMessage sent = session.createBytesMessage();
        sent.writeInt(42);
        sent.writeUTF("x");
        assertThatThrownBy(sent::getBodyLength).isInstanceOf(MessageNotReadableException.class);
        BytesMessage received = (BytesMessage) roundTrip(sent);
        assertThat(received.getBodyLength()).isEqualTo(7);
        assertThat(received.readInt()).isEqualTo(42);
        assertThat(received.readUTF()).isEqualTo("x");
        assertThatThrownBy(received::readByte).isInstanceOf(MessageEOFException.class);
        assertThatThrownBy(() -> received.writeInt(1)).isInstanceOf(MessageNotWriteableException.class);
        received.clearBody();
        received.writeInt(7);
        received.reset();
        assertThat(received.readInt()).isEqualTo(7);
    }

    @Test
    void getBodyFollowsTheTypeOfEachMessage() throws JMSException {
        assertThat(roundTrip(session.createMessage()).getBody(Object.class)).isNull();
        assertThat(roundTrip(session.createTextMessage()).getBody(String.class)).isNull();
        assertThat(roundTrip(session.createTextMessage("t")).getBody(String.class)).isEqualTo("t");

        BytesMessage bytes = session.createBytesMessage();
        bytes.writeBytes(new byte[] {1, 2});
        Message receivedBytes = roundTrip(bytes);
        assertThat(receivedBytes.getBody(byte[].class)).containsExactly(1, 2);
        assertThat(receivedBytes.isBodyAssignableTo(String.class)).isFalse();
        assertThatThrownBy(() -> receivedBytes.getBody(String.class)).isInstanceOf(MessageFormatException.class);

        MapMessage map = session.createMapMessage();
        map.setInt("a", 1);
        assertThat(roundTrip(map).getBody(Map.class)).containsEntry("a", 1);

        ObjectMessage object = session.createObjectMessage(new ArrayList<>(java.util.List.of("o")));
        assertThat(roundTrip(object).getBody(Serializable.class)).isEqualTo(java.util.List.of("o"));

        StreamMessage stream = session.createStreamMessage();
        stream.writeInt(1);
        Message receivedStream = roundTrip(stream);
        assertThat(receivedStream.isBodyAssignableTo(Object.class)).isFalse();
        assertThatThrownBy(() -> receivedStream.getBody(Object.class)).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void recoverRedeliversWithTheRedeliveredFlagAndACountOfTwo() throws JMSException {
        Session client = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        try (MessageProducer producer = client.createProducer(queue);
             MessageConsumer consumer = client.createConsumer(queue)) {
            producer.send(client.createTextMessage("again"));
            Message first = consumer.receive(RECEIVE_MILLIS);
            assertThat(first.getJMSRedelivered()).isFalse();
            client.recover();
            Message second = consumer.receive(RECEIVE_MILLIS);
            assertThat(second.getJMSRedelivered()).isTrue();
            assertThat(second.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            second.acknowledge();
        }
    }

    @Test
    void jmsContextSendsAndReceivesBodiesAndMapsRuntimeExceptions() {
        try (JMSContext context = new TunnelConnectionFactory(broker.url()).createContext()) {
            JMSConsumer consumer = context.createConsumer(queue);
            context.createProducer().setProperty("n", 5).send(queue, "body");
            Message m = consumer.receive(RECEIVE_MILLIS);
            assertThat(m).isNotNull();
            assertThat(context.createProducer().getPropertyNames()).isEmpty();
            assertThatThrownBy(() -> context.createProducer().setPriority(11)).isInstanceOf(JMSRuntimeException.class);
            assertThatThrownBy(() -> context.createProducer().setProperty("a-b", 1))
                    .isInstanceOf(IllegalArgumentException.class);
            context.createProducer().send(queue, Map.of("k", "v"));
            assertThat(consumer.receiveBody(Map.class, RECEIVE_MILLIS)).containsEntry("k", "v");
        }
    }
}
