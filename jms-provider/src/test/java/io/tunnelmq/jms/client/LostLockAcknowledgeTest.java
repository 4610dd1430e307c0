package io.tunnelmq.jms.client;

import io.tunnelmq.jms.LockedMessage;
import io.tunnelmq.jms.TunnelSession;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.protocol.ErrorCode;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** acknowledge() where some locks were lost: the exception names the messages that will come again. */
@Timeout(30)
class LostLockAcknowledgeTest extends FakeBrokerTestSupport {

    private static long token(Message m) throws JMSException {
        return Long.parseLong(((LockedMessage) m).getLockToken());
    }

    private MessageConsumer consumerWith(Session session, Queue q, int deliveryMode, String... texts)
            throws JMSException {
        try (MessageProducer p = session.createProducer(q)) {
            p.setDeliveryMode(deliveryMode);
            for (String t : texts) {
                p.send(session.createTextMessage(t));
            }
        }
        return session.createConsumer(q);
    }

    @Test
    void clientAcknowledgeNamesTheMessagesWhoseLocksWereLostAndCompletesTheOthers() throws Exception {
        Connection c = connect();
        Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        MessageConsumer consumer = consumerWith(session, q, DeliveryMode.PERSISTENT, "a", "b", "c");
        c.start();
        Message a = consumer.receive(5_000);
        Message b = consumer.receive(5_000);
        Message last = consumer.receive(5_000);
        broker.expireLock(token(b));
        broker.sync();

        IllegalStateException e = catchThrowableOfType(last::acknowledge, IllegalStateException.class);

        assertThat(e.getMessage()).contains(b.getJMSMessageID()).contains("delivered again")
                .contains("the other 2 message(s) were acknowledged")
                .doesNotContain(a.getJMSMessageID()).doesNotContain(last.getJMSMessageID());
        assertThat(e.getErrorCode()).isEqualTo(ErrorCode.LOCK_EXPIRED.name());
        assertThat(e.getCause()).isInstanceOf(EngineException.class);
        assertThat(e.getLinkedException()).isSameAs(e.getCause());
        assertThat(broker.depth("q")).as("a and c completed, b back in the queue").isEqualTo(1);

        int settlesBefore = broker.log().size();
        session.recover(); // none of them is the session's any more: nothing to abandon
        broker.sync();
        assertThat(broker.log().subList(settlesBefore, broker.log().size()))
                .noneMatch(l -> l.startsWith("settle ABANDON"));
    }

    @Test
    void aNonPersistentAcknowledgeFailureNamesTheMessagesInTheNextAcknowledge() throws Exception {
        Connection c = connect();
        Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        MessageConsumer consumer = consumerWith(session, q, DeliveryMode.NON_PERSISTENT, "a", "b");
        c.start();
        Message a = consumer.receive(5_000);
        Message b = consumer.receive(5_000);
        broker.expireLock(token(a));
        broker.sync();
        b.acknowledge(); // not waited for
        session.createConsumer(session.createQueue("other")).close(); // a round trip: the refusal has arrived

        IllegalStateException e = catchThrowableOfType(b::acknowledge, IllegalStateException.class);
        assertThat(e.getMessage()).startsWith("an earlier acknowledgement").contains(a.getJMSMessageID())
                .doesNotContain(b.getJMSMessageID());
    }

    @Test
    void individualAcknowledgeNamesItsMessage() throws Exception {
        Connection c = connect();
        Session session = c.createSession(false, TunnelSession.INDIVIDUAL_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        MessageConsumer consumer = consumerWith(session, q, DeliveryMode.PERSISTENT, "a");
        c.start();
        Message a = consumer.receive(5_000);
        broker.expireLock(token(a));
        broker.sync();

        IllegalStateException e = catchThrowableOfType(a::acknowledge, IllegalStateException.class);
        assertThat(e.getMessage()).contains(a.getJMSMessageID()).contains("delivered again");
    }

    @Test
    void messagesAreNamedInDeliveryOrder() {
        JMSException e = JmsExceptions.unsettled(new EngineException(ErrorCode.UNKNOWN_LOCK_TOKEN, "gone",
                new long[] {3, 2}), "acknowledging 3 message(s)", new long[] {1, 2, 3},
                new String[] {"ID:1", "ID:2", null});
        assertThat(e).isInstanceOf(IllegalStateException.class);
        assertThat(e.getMessage()).contains("failed for 2 of 3 message(s)")
                .contains("ID:2, (message without JMSMessageID, lock token 3)")
                .contains("the other 1 message(s) were acknowledged");
        assertThat(List.of(e.getErrorCode())).containsExactly(ErrorCode.UNKNOWN_LOCK_TOKEN.name());
    }
}
