package io.tunnelmq.tck.conformance;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TCK's closed* packages: every method of a closed connection, session, producer or consumer throws
 * IllegalStateException, except close() itself.
 */
@Timeout(30)
class ClosedObjectsConformanceTest {
    private EmbeddedBroker broker;
    private Connection connection;

    @BeforeEach
    void connect() throws JMSException {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        connection = new TunnelConnectionFactory(broker.url()).createConnection();
    }

    @AfterEach
    void close() throws JMSException {
        try {
            connection.close();
        } finally {
            broker.close();
        }
    }

    private static void allThrowIllegalState(Map<String, ThrowingCallable> calls) {
        calls.forEach((name, call) -> assertThatThrownBy(call).as(name).isInstanceOf(IllegalStateException.class));
    }

    @Test
    void aClosedSessionAndEverythingItMadeRefuseUse() throws JMSException {
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("closed");
        MessageProducer producer = s.createProducer(q);
        MessageConsumer consumer = s.createConsumer(q);
        Message m = s.createTextMessage("x");
        s.close();

        Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
        calls.put("createTextMessage", s::createTextMessage);
        calls.put("createQueue", () -> s.createQueue("q"));
        calls.put("createProducer", () -> s.createProducer(q));
        calls.put("createConsumer", () -> s.createConsumer(q));
        calls.put("getTransacted", s::getTransacted);
        calls.put("getAcknowledgeMode", s::getAcknowledgeMode);
        calls.put("recover", s::recover);
        calls.put("commit", s::commit);
        calls.put("rollback", s::rollback);
        calls.put("getMessageListener", s::getMessageListener);
        calls.put("producer.send", () -> producer.send(m));
        calls.put("producer.getDeliveryMode", producer::getDeliveryMode);
        calls.put("producer.getDestination", producer::getDestination);
        calls.put("producer.setPriority", () -> producer.setPriority(1));
        calls.put("consumer.receive", consumer::receive);
        calls.put("consumer.receiveNoWait", consumer::receiveNoWait);
        calls.put("consumer.getMessageSelector", consumer::getMessageSelector);
        calls.put("consumer.setMessageListener", () -> consumer.setMessageListener(null));
        allThrowIllegalState(calls);

        assertThatCode(s::close).doesNotThrowAnyException();
        assertThatCode(producer::close).doesNotThrowAnyException();
        assertThatCode(consumer::close).doesNotThrowAnyException();
        assertThat(((jakarta.jms.TextMessage) m).getText()).as("a message outlives its session").isEqualTo("x");
    }

    @Test
    void aClosedConnectionRefusesUse() throws JMSException {
        Connection c = new TunnelConnectionFactory(broker.url()).createConnection();
        c.close();
        Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
        calls.put("createSession", c::createSession);
        calls.put("getClientID", c::getClientID);
        calls.put("setClientID", () -> c.setClientID("x"));
        calls.put("getMetaData", c::getMetaData);
        calls.put("start", c::start);
        calls.put("stop", c::stop);
        calls.put("getExceptionListener", c::getExceptionListener);
        calls.put("setExceptionListener", () -> c.setExceptionListener(null));
        allThrowIllegalState(calls);
        assertThatCode(c::close).doesNotThrowAnyException();
    }

    @Test
    void acknowledgingAfterTheSessionClosedIsAnIllegalState() throws JMSException {
        Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("ack-after-close");
        s.createProducer(q).send(s.createTextMessage("late"));
        MessageConsumer consumer = s.createConsumer(q);
        connection.start();
        Message m = consumer.receive(10_000);
        assertThat(m).isNotNull();
        s.close();
        assertThatThrownBy(m::acknowledge).isInstanceOf(IllegalStateException.class);
    }
}
