package io.tunnelmq.jms.client;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every call on a closed connection, session, producer or consumer fails with IllegalStateException. */
@Timeout(30)
class ClosedObjectTest extends FakeBrokerTestSupport {

    private static void allThrowIllegalState(Map<String, Executable> calls) {
        calls.forEach((name, call) -> assertThatThrownBy(call::execute).as(name)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed"));
    }

    @Test
    void closedConnection() throws Exception {
        Connection c = connect();
        Session session = c.createSession();
        Queue q = session.createQueue("q");
        c.close();
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("createSession", () -> c.createSession());
        calls.put("createSession(int)", () -> c.createSession(Session.CLIENT_ACKNOWLEDGE));
        calls.put("getClientID", c::getClientID);
        calls.put("setClientID", () -> c.setClientID("x"));
        calls.put("getMetaData", c::getMetaData);
        calls.put("getExceptionListener", c::getExceptionListener);
        calls.put("setExceptionListener", () -> c.setExceptionListener(null));
        calls.put("start", c::start);
        calls.put("stop", c::stop);
        calls.put("createConnectionConsumer", () -> c.createConnectionConsumer(q, null, null, 1));
        calls.put("session.createProducer", () -> session.createProducer(q));
        calls.put("session.createTextMessage", () -> session.createTextMessage());
        allThrowIllegalState(calls);
        c.close();
    }

    @Test
    void closedSession() throws Exception {
        Connection c = connect();
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("q");
        sendTexts(s, q, "m");
        MessageConsumer consumer = s.createConsumer(q);
        MessageProducer producer = s.createProducer(q);
        c.start();
        Message received = consumer.receive(5_000);
        s.close();
        s.close(); // idempotent
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("createMessage", s::createMessage);
        calls.put("createTextMessage", () -> s.createTextMessage("x"));
        calls.put("createBytesMessage", s::createBytesMessage);
        calls.put("createMapMessage", s::createMapMessage);
        calls.put("createStreamMessage", s::createStreamMessage);
        calls.put("createObjectMessage", () -> s.createObjectMessage("x"));
        calls.put("getTransacted", s::getTransacted);
        calls.put("getAcknowledgeMode", s::getAcknowledgeMode);
        calls.put("commit", s::commit);
        calls.put("rollback", s::rollback);
        calls.put("recover", s::recover);
        calls.put("createProducer", () -> s.createProducer(q));
        calls.put("createConsumer", () -> s.createConsumer(q));
        calls.put("createQueue", () -> s.createQueue("x"));
        calls.put("createTopic", () -> s.createTopic("x"));
        calls.put("createTemporaryQueue", s::createTemporaryQueue);
        calls.put("createBrowser", () -> s.createBrowser(q));
        calls.put("unsubscribe", () -> s.unsubscribe("x"));
        calls.put("getMessageListener", s::getMessageListener);
        calls.put("producer.send", () -> producer.send(received));
        calls.put("consumer.receive", () -> consumer.receive(1));
        calls.put("message.acknowledge", received::acknowledge);
        calls.put("lockedMessage.complete", () -> ((io.tunnelmq.jms.LockedMessage) received).complete());
        allThrowIllegalState(calls);
        eventually("the unacknowledged message is back", () -> broker.depth("q") == 1);
    }

    @Test
    void closedProducer() throws Exception {
        Connection c = connect();
        Session s = c.createSession();
        Queue q = s.createQueue("q");
        MessageProducer p = s.createProducer(q);
        p.close();
        p.close();
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("send", () -> p.send(s.createMessage()));
        calls.put("send async", () -> p.send(s.createMessage(), new jakarta.jms.CompletionListener() {
            @Override
            public void onCompletion(Message message) {
            }

            @Override
            public void onException(Message message, Exception exception) {
            }
        }));
        calls.put("getDestination", p::getDestination);
        calls.put("getDeliveryMode", p::getDeliveryMode);
        calls.put("setPriority", () -> p.setPriority(1));
        calls.put("getTimeToLive", p::getTimeToLive);
        calls.put("setDisableMessageID", () -> p.setDisableMessageID(true));
        calls.put("getDeliveryDelay", p::getDeliveryDelay);
        allThrowIllegalState(calls);
        assertThat(s.createProducer(q)).isNotNull(); // the session is still fine
    }

    @Test
    void closedConsumer() throws Exception {
        Connection c = connect();
        Session s = c.createSession();
        MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
        consumer.close();
        consumer.close();
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("receive", consumer::receive);
        calls.put("receive(timeout)", () -> consumer.receive(10));
        calls.put("receiveNoWait", consumer::receiveNoWait);
        calls.put("getMessageSelector", consumer::getMessageSelector);
        calls.put("getMessageListener", consumer::getMessageListener);
        calls.put("setMessageListener", () -> consumer.setMessageListener(m -> { }));
        allThrowIllegalState(calls);
    }

    @Test
    void closingTheConnectionClosesItsSessionsAndTheirObjects() throws Exception {
        Connection c = connect();
        Session s = c.createSession();
        MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
        MessageProducer producer = s.createProducer(s.createQueue("q"));
        c.close();
        allThrowIllegalState(Map.of(
                "session", s::createMessage,
                "consumer", consumer::receiveNoWait,
                "producer", producer::getDeliveryMode));
    }
}
