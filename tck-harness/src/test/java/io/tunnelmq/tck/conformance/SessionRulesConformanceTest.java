package io.tunnelmq.tck.conformance;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
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

import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connection and session API rules the Jakarta TCK checks (outside topics, browsers and temporary destinations). */
@Timeout(30)
class SessionRulesConformanceTest {
    private static final long RECEIVE_MILLIS = 10_000;

    private EmbeddedBroker broker;
    private TunnelConnectionFactory factory;
    private Connection connection;

    @BeforeEach
    void connect() throws JMSException {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        factory = new TunnelConnectionFactory(broker.url());
        connection = factory.createConnection();
    }

    @AfterEach
    void close() throws JMSException {
        try {
            connection.close();
        } finally {
            broker.close();
        }
    }

    @Test
    void acknowledgeModesAndTransactionCallsFollowTheSessionKind() throws JMSException {
        Session transacted = connection.createSession(true, Session.AUTO_ACKNOWLEDGE);
        assertThat(transacted.getTransacted()).isTrue();
        assertThat(transacted.getAcknowledgeMode()).isEqualTo(Session.SESSION_TRANSACTED);
        assertThatThrownBy(transacted::recover).isInstanceOf(IllegalStateException.class);

        Session plain = connection.createSession(Session.CLIENT_ACKNOWLEDGE);
        assertThat(plain.getAcknowledgeMode()).isEqualTo(Session.CLIENT_ACKNOWLEDGE);
        assertThatThrownBy(plain::commit).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(plain::rollback).isInstanceOf(IllegalStateException.class);

        assertThat(connection.createSession(Session.SESSION_TRANSACTED).getTransacted()).isTrue();
        assertThat(connection.createSession().getAcknowledgeMode()).isEqualTo(Session.AUTO_ACKNOWLEDGE);
        assertThatThrownBy(() -> connection.createSession(false, 99)).isInstanceOf(JMSException.class);
    }

    @Test
    void clientIdCanBeSetOnceAndOnlyBeforeTheConnectionIsUsed() throws JMSException {
        try (Connection c = factory.createConnection()) {
            c.setClientID("me");
            assertThat(c.getClientID()).isEqualTo("me");
            assertThatThrownBy(() -> c.setClientID("again")).isInstanceOf(IllegalStateException.class);
        }
        try (Connection c = factory.createConnection()) {
            c.createSession();
            assertThatThrownBy(() -> c.setClientID("late")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void metaDataNamesTheSpecVersionAndTheJmsxPropertiesSupported() throws JMSException {
        ConnectionMetaData md = connection.getMetaData();
        assertThat(md.getJMSMajorVersion()).isGreaterThanOrEqualTo(2);
        assertThat(md.getJMSVersion()).isNotBlank();
        assertThat(md.getJMSProviderName()).isNotBlank();
        assertThat(Collections.list(md.getJMSXPropertyNames())).contains("JMSXDeliveryCount", "JMSXGroupID",
                "JMSXGroupSeq");
    }

    @Test
    void nullDestinationsAreInvalid() throws JMSException {
        Session s = connection.createSession();
        assertThatThrownBy(() -> s.createConsumer(null)).isInstanceOf(InvalidDestinationException.class);
        try (MessageProducer anonymous = s.createProducer(null)) {
            assertThatThrownBy(() -> anonymous.send(s.createMessage()))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> anonymous.send(null, s.createMessage()))
                    .isInstanceOf(InvalidDestinationException.class);
        }
        Queue q = s.createQueue("named");
        try (MessageProducer named = s.createProducer(q)) {
            assertThatThrownBy(() -> named.send(s.createQueue("other"), s.createMessage()))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void closingTheConnectionFromItsOwnListenerIsAnIllegalState() throws Exception {
        Session s = connection.createSession();
        Queue q = s.createQueue("listener");
        MessageConsumer consumer = s.createConsumer(q);
        CompletableFuture<Throwable> closeOutcome = new CompletableFuture<>();
        consumer.setMessageListener(m -> {
            try {
                connection.close();
                closeOutcome.complete(null);
            } catch (Throwable e) {
                closeOutcome.complete(e);
            }
        });
        connection.start();
        s.createProducer(q).send(s.createTextMessage("close from here"));
        assertThat(closeOutcome.get(RECEIVE_MILLIS, TimeUnit.MILLISECONDS)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aConsumerMayCloseItselfFromItsOwnListener() throws Exception {
        Session s = connection.createSession();
        Queue q = s.createQueue("self-close");
        MessageConsumer consumer = s.createConsumer(q);
        CompletableFuture<Throwable> closeOutcome = new CompletableFuture<>();
        consumer.setMessageListener(m -> {
            try {
                consumer.close();
                closeOutcome.complete(null);
            } catch (Throwable e) {
                closeOutcome.complete(e);
            }
        });
        connection.start();
        s.createProducer(q).send(s.createTextMessage("bye"));
        assertThat(closeOutcome.get(RECEIVE_MILLIS, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void stoppedConnectionDeliversNothingUntilStarted() throws JMSException {
        Session s = connection.createSession();
        Queue q = s.createQueue("stopped");
        MessageConsumer consumer = s.createConsumer(q);
        s.createProducer(q).send(s.createTextMessage("wait"));
        assertThat(consumer.receive(300)).isNull();
        connection.start();
        Message m = consumer.receive(RECEIVE_MILLIS);
        assertThat(((TextMessage) m).getText()).isEqualTo("wait");
    }

    @Test
    void jmsContextRulesThrowRuntimeExceptions() {
        try (JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            assertThatThrownBy(context::commit).isInstanceOf(IllegalStateRuntimeException.class);
            assertThatThrownBy(context::rollback).isInstanceOf(IllegalStateRuntimeException.class);
            assertThat(context.getSessionMode()).isEqualTo(JMSContext.AUTO_ACKNOWLEDGE);
            try (JMSContext transacted = context.createContext(JMSContext.SESSION_TRANSACTED)) {
                assertThat(transacted.getTransacted()).isTrue();
                assertThatThrownBy(transacted::recover).isInstanceOf(IllegalStateRuntimeException.class);
            }
            assertThatThrownBy(() -> context.setClientID("late")).isInstanceOf(IllegalStateRuntimeException.class);
        }
    }
}
