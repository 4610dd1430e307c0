package io.tunnelmq.jms.client;

import io.tunnelmq.jms.ConnectionOptions;
import io.tunnelmq.jms.EngineFactories;
import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.protocol.ErrorCode;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connecting, credentials, client ID rules, metadata and connection failure. */
@Timeout(30)
class ConnectionTest extends FakeBrokerTestSupport {

    @Test
    void connectFailureNamesHostAndPortWithTheEngineFailureLinked() {
        TunnelConnectionFactory cf = factory("tmq://unreachable:4242");
        assertThatThrownBy(cf::createConnection).isInstanceOf(JMSException.class)
                .hasMessageContaining("unreachable:4242")
                .satisfies(e -> {
                    JMSException j = (JMSException) e;
                    assertThat(j.getErrorCode()).isEqualTo("CONNECTION_FAILED");
                    assertThat(j.getLinkedException()).isSameAs(j.getCause());
                    assertThat(j.getCause()).isInstanceOf(io.tunnelmq.jms.engine.EngineException.class);
                });
    }

    @Test
    void theDefaultEngineIsUsedWithoutAnInjectedOneAndAnAbsentBrokerIsAJmsException() {
        TunnelConnectionFactory cf = new TunnelConnectionFactory("tmq://127.0.0.1:1?connectTimeout=2000");
        // nothing listens on port 1: the real Netty engine reports the address it could not reach
        assertThatThrownBy(cf::createConnection).isInstanceOf(JMSException.class)
                .hasMessageContaining("127.0.0.1:1")
                .satisfies(e -> assertThat(((JMSException) e).getErrorCode()).isEqualTo("CONNECTION_FAILED"));
    }

    @Test
    void credentialsComeFromTheCallOrElseTheUrl() throws JMSException {
        connect("tmq://localhost:9494?user=url-user&password=p");
        track(factory("tmq://localhost:9494?user=url-user&password=p").createConnection("app-user", null));
        assertThat(broker.log()).contains("connect fake-1 user=url-user clientId=null",
                "connect fake-2 user=app-user clientId=null");
        assertThatThrownBy(() -> factory.createConnection("intruder", "x")).isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("localhost:9494");
    }

    @Test
    void aConnectionIsAQueueAndTopicConnectionWithDomainSessions() throws JMSException {
        QueueConnection qc = track(factory.createQueueConnection());
        QueueSession qs = qc.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThatThrownBy(() -> qs.createTopic("t")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(qs::createTemporaryTopic).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> qs.createDurableSubscriber(qs.createTopic("t"), "s"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(qs.createQueue("q").getQueueName()).isEqualTo("q");
        TopicConnection tc = track(factory.createTopicConnection());
        TopicSession ts = tc.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThatThrownBy(() -> ts.createQueue("q")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ts.createBrowser(null)).isInstanceOf(IllegalStateException.class);
        assertThat(ts.createSubscriber(ts.createTopic("t")).getNoLocal()).isFalse();
    }

    @Test
    void invalidAcknowledgeModesAreRejected() throws JMSException {
        Connection c = connect();
        assertThatThrownBy(() -> c.createSession(false, 77)).isInstanceOf(JMSException.class)
                .hasMessageContaining("77");
        assertThatThrownBy(() -> c.createSession(false, Session.SESSION_TRANSACTED)).isInstanceOf(JMSException.class);
        assertThat(c.createSession(Session.SESSION_TRANSACTED).getTransacted()).isTrue();
        assertThat(c.createSession(true, 77).getTransacted()).isTrue();
    }

    @Test
    void administrativelyConfiguredClientIdCannotBeChanged() throws JMSException {
        Connection c = connect("tmq://localhost:9494?clientID=admin-id");
        assertThat(c.getClientID()).isEqualTo("admin-id");
        assertThatThrownBy(() -> c.setClientID("other")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("administratively");
        assertThatThrownBy(() -> factory("tmq://localhost:9494?clientID=admin-id").createConnection())
                .isInstanceOf(InvalidClientIDException.class).hasMessageContaining("in use");
    }

    @Test
    void clientIdMayBeSetOnceBeforeFirstUse() throws JMSException {
        Connection c = connect();
        assertThat(c.getClientID()).isNull();
        c.setExceptionListener(e -> { });
        c.setClientID("mine");
        assertThat(c.getClientID()).isEqualTo("mine");
        assertThat(broker.log()).contains("connect fake-2 user=null clientId=mine");
        assertThat(broker.openConnections()).as("the pre-client-ID connection was closed").isEqualTo(1);
        assertThatThrownBy(() -> c.setClientID("again")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already");
        c.createSession().close();

        Connection used = connect();
        used.createSession();
        assertThatThrownBy(() -> used.setClientID("late")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before it is used");

        Connection duplicate = connect();
        assertThatThrownBy(() -> duplicate.setClientID("mine")).isInstanceOf(InvalidClientIDException.class);
        assertThatThrownBy(() -> duplicate.setClientID("")).isInstanceOf(InvalidClientIDException.class);
        duplicate.setClientID("unique");
        assertThat(duplicate.getClientID()).isEqualTo("unique");
    }

    @Test
    void unsharedDurableSubscriptionsNeedAClientId() throws JMSException {
        Connection c = connect();
        Session s = c.createSession();
        assertThatThrownBy(() -> s.createDurableConsumer(s.createTopic("t"), "sub"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("client ID");
        Connection withId = connect("tmq://localhost:9494?clientID=durable-app");
        Session ws = withId.createSession();
        MessageConsumer durable = ws.createDurableConsumer(ws.createTopic("t"), "sub");
        assertThat(durable).isNotNull();
        assertThat(ws.createSharedDurableConsumer(ws.createTopic("t"), "shared")).isNotNull();
        assertThatThrownBy(() -> ws.createSharedConsumer(ws.createTopic("t"), "")).isInstanceOf(JMSException.class);
    }

    @Test
    void metaData() throws JMSException {
        ConnectionMetaData md = connect().getMetaData();
        assertThat(md.getJMSVersion()).isEqualTo("3.1");
        assertThat(md.getJMSMajorVersion()).isEqualTo(3);
        assertThat(md.getJMSMinorVersion()).isEqualTo(1);
        assertThat(md.getJMSProviderName()).isEqualTo("TunnelMQ");
        assertThat(md.getProviderVersion()).isEqualTo(io.tunnelmq.jms.client.fake.FakeBroker.VERSION);
        assertThat(md.getProviderMajorVersion()).isZero();
        assertThat(Collections.list(md.getJMSXPropertyNames()))
                .containsExactlyInAnyOrder("JMSXDeliveryCount", "JMSXGroupID", "JMSXGroupSeq");
    }

    @Test
    void theExceptionListenerHearsOfAFailedConnectionOnItsOwnThread() throws Exception {
        // reconnect=false: the loss fails the connection at once (a reconnecting one fails when it gives up)
        Connection c = connect("tmq://localhost:9494?reconnect=false");
        Session session = c.createSession();
        MessageConsumer consumer = session.createConsumer(session.createQueue("q"));
        c.start();
        CompletableFuture<JMSException> heard = new CompletableFuture<>();
        CompletableFuture<String> thread = new CompletableFuture<>();
        c.setExceptionListener(e -> {
            thread.complete(Thread.currentThread().getName());
            heard.complete(e);
        });
        CompletableFuture<Object> blockedReceive = whileBlocked(consumer::receive);
        broker.failConnections(ErrorCode.CONNECTION_FAILED, "heartbeats stopped");
        JMSException e = heard.get(5, TimeUnit.SECONDS);
        assertThat(e.getMessage()).contains("localhost:9494").contains("heartbeats stopped");
        assertThat(e.getErrorCode()).isEqualTo("CONNECTION_FAILED");
        assertThat(thread.get()).isNotEqualTo("fake-engine-loop");
        assertThatThrownBy(() -> blockedReceive.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(JMSException.class)
                .hasMessageContaining("heartbeats stopped");
        assertThatThrownBy(() -> session.createProducer(null).send(session.createQueue("q"),
                session.createMessage())).isInstanceOf(JMSException.class);
        c.close(); // closing a failed connection is quiet
    }

    @Test
    void theExceptionListenerMayCloseTheConnection() throws Exception {
        Connection c = connect("tmq://localhost:9494?reconnect=false");
        c.createSession().createConsumer(c.createSession().createQueue("q"));
        CompletableFuture<String> closed = new CompletableFuture<>();
        c.setExceptionListener(e -> {
            try {
                c.close();
                closed.complete("closed");
            } catch (JMSException failure) {
                closed.complete(failure.toString());
            }
        });
        broker.failConnections(ErrorCode.SHUTTING_DOWN, "the broker is shutting down");
        assertThat(closed.get(5, TimeUnit.SECONDS)).isEqualTo("closed");
        assertThatThrownBy(c::createSession).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void connectionConsumersAreNotSupported() throws JMSException {
        Connection c = connect();
        assertThatThrownBy(() -> c.createConnectionConsumer(c.createSession().createQueue("q"), null, null, 1))
                .isInstanceOf(JMSException.class).hasMessageContaining("not supported");
    }

    @Test
    void durableConnectionConsumerOnAQueueConnectionIsAnIllegalState() throws JMSException {
        QueueConnection c = factory.createQueueConnection();
        try {
            assertThatThrownBy(() -> c.createDurableConnectionConsumer(c.createSession().createTopic("t"), "sub",
                    null, null, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not supported");
        } finally {
            c.close();
        }
    }

    @Test
    void closeIsIdempotentAndClosesTheEngineConnection() throws JMSException {
        Connection c = factory.createConnection();
        c.createSession().createConsumer(c.createSession().createQueue("q"));
        c.close();
        c.close();
        assertThat(broker.openConnections()).isZero();
    }

    @Test
    void theFactoryIsSerializableAndForgetsAnInjectedEngine() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(factory("tmq://127.0.0.1:1?prefetch=7&connectTimeout=2000"));
        }
        TunnelConnectionFactory copy;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (TunnelConnectionFactory) in.readObject();
        }
        assertThat(copy.getOptions().prefetch()).isEqualTo(7);
        // the copy uses the default (network) engine, which finds no broker on port 1
        assertThatThrownBy(copy::createConnection).isInstanceOf(JMSException.class).hasMessageContaining("127.0.0.1:1");
        assertThat(broker.log()).isEmpty();
    }

    @Test
    void factoryOptionsAndToString() {
        TunnelConnectionFactory cf = EngineFactories.connectionFactory(ConnectionOptions.parse("tmq://h:1?prefetch=3"),
                broker.factory());
        assertThat(cf.getOptions().prefetch()).isEqualTo(3);
        assertThat(cf.toString()).contains("h:1");
        assertThatThrownBy(() -> EngineFactories.connectionFactory(ConnectionOptions.defaults(), null))
                .isInstanceOf(NullPointerException.class);
    }
}
