package io.tunnelmq.jms.client;

import io.tunnelmq.jms.TunnelQueue;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Sending and receiving through the JMS API: order, timeouts, headers, producers' destination rules. */
@Timeout(30)
class SendReceiveTest extends FakeBrokerTestSupport {

    @Test
    void thousandMessagesArriveInOrderAndAreCompleted() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        Queue q = session.createQueue("orders");
        MessageProducer producer = session.createProducer(q);
        for (int i = 0; i < 1000; i++) {
            producer.send(session.createTextMessage("m" + i));
        }
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        for (int i = 0; i < 1000; i++) {
            TextMessage m = (TextMessage) consumer.receive(5_000);
            assertThat(m).as("message %d", i).isNotNull();
            assertThat(m.getText()).isEqualTo("m" + i);
            assertThat(m.getJMSRedelivered()).isFalse();
        }
        assertThat(consumer.receiveNoWait()).isNull();
        eventually("every message is completed", () -> broker.depth("orders") == 0);
    }

    @Test
    void receiveTimesOutAndReceiveNoWaitReturnsAtOnce() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        MessageConsumer consumer = session.createConsumer(session.createQueue("empty"));
        c.start();
        long start = System.nanoTime();
        assertThat(consumer.receive(200)).isNull();
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(190);
        assertThat(consumer.receiveNoWait()).isNull();
    }

    @Test
    void aStoppedConnectionDeliversNothingUntilStarted() throws Exception {
        Connection c = connect();
        Session session = c.createSession();
        Queue q = session.createQueue("q");
        sendTexts(session, q, "one");
        MessageConsumer consumer = session.createConsumer(q);
        eventually("the message is buffered", () -> broker.depth("q") == 1);
        assertThat(consumer.receive(100)).isNull();
        assertThat(consumer.receiveNoWait()).isNull();

        CompletableFuture<Message> blocked = whileBlocked(consumer::receive);
        assertThat(blocked).isNotDone();
        c.start();
        assertThat(((TextMessage) blocked.get()).getText()).isEqualTo("one");
    }

    @Test
    void closingAConsumerReturnsABlockedReceiveWithNull() throws Exception {
        Connection c = connect();
        Session session = c.createSession();
        MessageConsumer consumer = session.createConsumer(session.createQueue("q"));
        c.start();
        CompletableFuture<Message> blocked = whileBlocked(consumer::receive);
        consumer.close();
        assertThat(blocked.get()).isNull();
    }

    @Test
    void sendStampsTheHeadersOnTheApplicationsMessage() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        Queue q = session.createQueue("q");
        MessageProducer producer = session.createProducer(q);
        producer.setPriority(7);
        producer.setTimeToLive(60_000);
        producer.setDeliveryDelay(0);
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        TextMessage m = session.createTextMessage("x");
        long before = System.currentTimeMillis();
        producer.send(m);
        assertThat(m.getJMSMessageID()).startsWith("ID:");
        assertThat(m.getJMSTimestamp()).isBetween(before, System.currentTimeMillis());
        assertThat(m.getJMSExpiration()).isEqualTo(m.getJMSTimestamp() + 60_000);
        assertThat(m.getJMSDeliveryTime()).isEqualTo(m.getJMSTimestamp());
        assertThat(m.getJMSPriority()).isEqualTo(7);
        assertThat(m.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(m.getJMSDestination()).isEqualTo(q);

        producer.setDisableMessageID(true);
        producer.setDisableMessageTimestamp(true);
        TextMessage bare = session.createTextMessage("y");
        producer.send(bare, DeliveryMode.PERSISTENT, 2, 0);
        assertThat(bare.getJMSMessageID()).isNull();
        assertThat(bare.getJMSTimestamp()).isZero();
        assertThat(bare.getJMSExpiration()).isZero();
        assertThat(bare.getJMSPriority()).isEqualTo(2);

        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        Message first = consumer.receive(5_000);
        assertThat(first.getJMSMessageID()).isEqualTo(m.getJMSMessageID());
        assertThat(first.getJMSPriority()).isEqualTo(7);
        assertThat(first.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(consumer.receive(5_000).getJMSMessageID()).isNull();

        Set<String> ids = new HashSet<>();
        producer.setDisableMessageID(false);
        for (int i = 0; i < 50; i++) {
            Message each = session.createMessage();
            producer.send(each);
            ids.add(each.getJMSMessageID());
        }
        assertThat(ids).hasSize(50);
    }

    @Test
    void producerDestinationRules() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        Queue q = session.createQueue("q");
        MessageProducer bound = session.createProducer(q);
        assertThatThrownBy(() -> bound.send(q, session.createMessage()))
                .isInstanceOf(UnsupportedOperationException.class);
        MessageProducer anonymous = session.createProducer(null);
        assertThatThrownBy(() -> anonymous.send(session.createMessage()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> anonymous.send(null, session.createMessage()))
                .isInstanceOf(InvalidDestinationException.class);
        assertThatThrownBy(() -> anonymous.send(q, null)).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> bound.setPriority(10)).isInstanceOf(JMSException.class);
        assertThatThrownBy(() -> bound.setDeliveryMode(5)).isInstanceOf(JMSException.class);
        assertThatThrownBy(() -> anonymous.send(q, session.createMessage(), 9, 4, 0))
                .isInstanceOf(JMSException.class).hasMessageContaining("delivery mode 9");
        anonymous.send(q, session.createTextMessage("via anonymous"));
        assertThat(anonymous.getDestination()).isNull();
        assertThat(bound.getDestination()).isEqualTo(q);
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        assertThat(((TextMessage) consumer.receive(5_000)).getText()).isEqualTo("via anonymous");
    }

    @Test
    void messagesOfOtherProvidersAndReceivedMessagesCanBeSent() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        Queue in = session.createQueue("in");
        Queue out = session.createQueue("out");
        TextMessage foreign = mock(TextMessage.class);
        when(foreign.getText()).thenReturn("foreign body");
        when(foreign.getPropertyNames()).thenReturn(java.util.Collections.emptyEnumeration());
        when(foreign.getJMSDeliveryMode()).thenReturn(DeliveryMode.PERSISTENT);
        when(foreign.getJMSPriority()).thenReturn(4);
        MessageProducer anonymous = session.createProducer(null);
        anonymous.send(in, foreign);
        MessageConsumer fromIn = session.createConsumer(in);
        c.start();
        Message received = fromIn.receive(5_000);
        assertThat(((TextMessage) received).getText()).isEqualTo("foreign body");
        anonymous.send(out, received); // a read-only received message can be forwarded
        assertThat(((TextMessage) session.createConsumer(out).receive(5_000)).getText()).isEqualTo("foreign body");
    }

    @Test
    void aRefusedNonPersistentSendIsReportedByTheNextSend() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        MessageProducer producer = session.createProducer(session.createQueue("q"));
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        broker.failNext("confirm", ErrorCode.RESOURCE_EXHAUSTED);
        producer.send(session.createTextMessage("refused later"));
        broker.sync();
        assertThatThrownBy(() -> producer.send(session.createTextMessage("next")))
                .isInstanceOf(ResourceAllocationException.class).hasMessageContaining("earlier non-persistent send");
        producer.send(session.createTextMessage("then it works"));
    }

    @Test
    void aRefusedPersistentSendFailsTheSend() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        MessageProducer producer = session.createProducer(session.createQueue("q"));
        broker.failNext("send", ErrorCode.NOT_AUTHORIZED);
        assertThatThrownBy(() -> producer.send(session.createTextMessage("no")))
                .isInstanceOf(jakarta.jms.JMSSecurityException.class).hasMessageContaining("injected");
    }

    @Test
    void expiredMessagesAreDiscardedNotDelivered() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        broker.enqueue(new WireMessage(WireDestination.queue("q"), "ID:old", 1, null, null, null, true, 4,
                System.currentTimeMillis() - 1, 0, Map.of(), BodyType.TEXT, "old".getBytes(StandardCharsets.UTF_8)));
        sendTexts(session, session.createQueue("q"), "fresh");
        MessageConsumer consumer = session.createConsumer(session.createQueue("q"));
        c.start();
        assertThat(((TextMessage) consumer.receive(5_000)).getText()).isEqualTo("fresh");
        eventually("the expired message is completed too", () -> broker.depth("q") == 0);
    }

    @Test
    void undecodableMessagesGoToTheDeadLetterQueue() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        broker.enqueue(new WireMessage(WireDestination.queue("q"), "ID:bad", 1, null, null, null, true, 4, 0, 0,
                Map.of(), BodyType.MAP, new byte[] {0, 0, 0, 9}));
        sendTexts(session, session.createQueue("q"), "good");
        MessageConsumer consumer = session.createConsumer(session.createQueue("q"));
        c.start();
        assertThat(((TextMessage) consumer.receive(5_000)).getText()).isEqualTo("good");
        eventually("the bad message is dead-lettered", () -> broker.depth("DLQ.q") == 1);
        assertThat(broker.messages("DLQ.q").get(0).properties().get("JMS_TMQ_DeadLetterReason").toString())
                .contains("cannot decode");
    }

    @Test
    void prefetchZeroPullsOneMessagePerReceive() throws JMSException {
        Connection c = connect("tmq://localhost:9494?prefetch=0");
        Session session = c.createSession();
        Queue q = session.createQueue("q");
        sendTexts(session, q, "a", "b", "c");
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        assertThat(((TextMessage) consumer.receive(5_000)).getText()).isEqualTo("a");
        assertThat(((TextMessage) consumer.receive(5_000)).getText()).isEqualTo("b");
        // only what was pulled left the queue's available set: c is still there for others
        Session other = c.createSession();
        assertThat(((TextMessage) other.createConsumer(q).receive(5_000)).getText()).isEqualTo("c");
    }

    @Test
    void topicsFanOutAndNoLocalSkipsOwnMessages() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        Topic t = session.createTopic("news");
        MessageConsumer a = session.createConsumer(t);
        MessageConsumer b = session.createConsumer(t);
        MessageConsumer noLocal = session.createConsumer(t, null, true);
        c.start();
        sendTexts(session, t, "headline");
        assertThat(((TextMessage) a.receive(5_000)).getText()).isEqualTo("headline");
        assertThat(((TextMessage) b.receive(5_000)).getText()).isEqualTo("headline");
        assertThat(noLocal.receive(200)).isNull();
    }

    @Test
    void selectorsAndDestinationErrorsMapToTheirExceptions() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        assertThatThrownBy(() -> session.createConsumer(session.createQueue("q"), "a >"))
                .isInstanceOf(InvalidSelectorException.class).hasMessageContaining("a >");
        assertThatThrownBy(() -> session.createConsumer(null)).isInstanceOf(InvalidDestinationException.class);
        broker.failNext("createConsumer", ErrorCode.INVALID_DESTINATION);
        assertThatThrownBy(() -> session.createConsumer(new TunnelQueue("forbidden")))
                .isInstanceOf(InvalidDestinationException.class);
        MessageConsumer selective = session.createConsumer(session.createQueue("sel"), "color = 'red'");
        c.start();
        MessageProducer p = session.createProducer(session.createQueue("sel"));
        Message blue = session.createMessage();
        blue.setStringProperty("color", "blue");
        Message red = session.createMessage();
        red.setStringProperty("color", "red");
        p.send(blue);
        p.send(red);
        assertThat(selective.receive(5_000).getStringProperty("color")).isEqualTo("red");
        assertThat(selective.getMessageSelector()).isEqualTo("color = 'red'");
    }

    @Test
    void temporaryQueuesBelongToTheirConnection() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        TemporaryQueue temp = session.createTemporaryQueue();
        MessageConsumer consumer = session.createConsumer(temp);
        c.start();
        Connection other = connect();
        Session otherSession = other.createSession();
        sendTexts(otherSession, temp, "reply");
        assertThat(((TextMessage) consumer.receive(5_000)).getText()).isEqualTo("reply");
        assertThatThrownBy(() -> otherSession.createConsumer(temp)).isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("another connection");
        assertThatThrownBy(temp::delete).isInstanceOf(jakarta.jms.IllegalStateException.class)
                .hasMessageContaining("consumers");
        consumer.close();
        temp.delete();
        assertThatThrownBy(() -> session.createConsumer(temp)).isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("deleted");
        assertThatThrownBy(() -> sendTexts(session, temp, "late")).isInstanceOf(InvalidDestinationException.class);
    }
}
