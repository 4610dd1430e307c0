package io.tunnelmq.jms.pool;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tunnelmq.jms.pool.PoolFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one borrower leaves behind is not seen by the next. One connection and one session per mode, so the
 * second borrower gets the very session the first one used.
 */
@Timeout(30)
class PooledCleanReturnTest {
    private final PoolFixture fixture = new PoolFixture();
    // reconnect=false: one test drops the connection to see whose ExceptionListener hears it
    private final PooledConnectionFactory pool = fixture.pool("reconnect=false", p -> {
        p.setMaxConnections(1);
        p.setMaxSessionsPerConnection(1);
    });

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void anUncommittedSendIsNotCommittedByTheNextBorrower() throws Exception {
        try (Connection c = pool.createConnection()) {
            Session s = c.createSession(Session.SESSION_TRANSACTED);
            s.createProducer(s.createQueue("tx-send")).send(s.createTextMessage("left behind"));
        }
        try (Connection c = pool.createConnection()) {
            Session s = c.createSession(Session.SESSION_TRANSACTED);
            s.createProducer(s.createQueue("tx-send")).send(s.createTextMessage("mine"));
            s.commit();
            c.start();
            MessageConsumer consumer = s.createConsumer(s.createQueue("tx-send"));
            assertThat(text(consumer.receive(2_000))).isEqualTo("mine");
            assertThat(consumer.receive(300)).isNull();
            s.commit();
        }
        assertThat(fixture.broker.connectionCount()).isEqualTo(1);
    }

    @Test
    void anUncommittedReceiveIsRolledBackAndRedelivered() throws Exception {
        fixture.send("tx-receive", "m1");
        try (Connection c = pool.createConnection()) {
            c.start();
            Session s = c.createSession(Session.SESSION_TRANSACTED);
            assertThat(text(s.createConsumer(s.createQueue("tx-receive")).receive(2_000))).isEqualTo("m1");
        }
        try (Connection c = pool.createConnection()) {
            c.start();
            Session s = c.createSession(Session.SESSION_TRANSACTED);
            s.commit(); // must not complete the first borrower's message
            Message m = s.createConsumer(s.createQueue("tx-receive")).receive(2_000);
            assertThat(text(m)).isEqualTo("m1");
            assertThat(m.getJMSRedelivered()).isTrue();
            s.commit();
        }
        assertThat(fixture.broker.queueDepth("tx-receive")).isZero();
    }

    @Test
    void anUnacknowledgedMessageIsRecoveredNotAcknowledgedByTheNextBorrower() throws Exception {
        fixture.send("client-ack", "m1", "m2");
        try (Connection c = pool.createConnection()) {
            c.start();
            Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
            assertThat(text(s.createConsumer(s.createQueue("client-ack")).receive(2_000))).isEqualTo("m1");
        }
        try (Connection c = pool.createConnection()) {
            c.start();
            Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("client-ack"));
            Message first = consumer.receive(2_000);
            assertThat(text(first)).isEqualTo("m1");
            assertThat(first.getJMSRedelivered()).isTrue();
            first.acknowledge();
            // m2 was never received: acknowledging m1 must leave it, and m2 is still there for a receive
            assertThat(text(consumer.receive(2_000))).isEqualTo("m2");
        }
        assertThat(fixture.broker.queueDepth("client-ack")).isEqualTo(1);
    }

    @Test
    void aListenerOfTheLastBorrowerGetsNothingOnceItReturned() throws Exception {
        AtomicInteger oldListener = new AtomicInteger();
        CompletableFuture<JMSException> oldExceptions = new CompletableFuture<>();
        try (Connection c = pool.createConnection()) {
            c.setExceptionListener(oldExceptions::complete);
            Session s = c.createSession();
            s.createConsumer(s.createQueue("listened")).setMessageListener(m -> oldListener.incrementAndGet());
            c.start();
        }
        fixture.send("listened", "m1");
        CompletableFuture<JMSException> newExceptions = new CompletableFuture<>();
        try (Connection c = pool.createConnection()) {
            assertThat(c.getExceptionListener()).isNull();
            c.setExceptionListener(newExceptions::complete);
            c.start();
            Session s = c.createSession();
            assertThat(text(s.createConsumer(s.createQueue("listened")).receive(2_000))).isEqualTo("m1");
            fixture.broker.dropConnections();
            assertThat(newExceptions.get(10, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(oldListener).hasValue(0);
        assertThat(oldExceptions).isNotDone();
    }

    @Test
    void aConnectionIsLentStoppedAsJmsPromisesANewOne() throws Exception {
        try (Connection c = pool.createConnection()) {
            c.start();
            c.createSession();
        }
        fixture.send("stopped", "m1");
        try (Connection c = pool.createConnection()) {
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue("stopped"));
            assertThat(consumer.receive(300)).isNull();
            c.start();
            assertThat(text(consumer.receive(2_000))).isEqualTo("m1");
        }
    }

    @Test
    void temporaryQueuesOfTheLastBorrowerAreDeleted() throws Exception {
        jakarta.jms.TemporaryQueue temporary;
        try (Connection c = pool.createConnection()) {
            temporary = c.createSession().createTemporaryQueue();
        }
        try (Connection c = pool.createConnection()) {
            Session s = c.createSession();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.createConsumer(temporary))
                    .isInstanceOf(JMSException.class);
        }
    }

    @Test
    void aPooledConsumerIsKeptWithoutItsListenerAndServesTheNextBorrower() throws Exception {
        PooledConnectionFactory consumers = fixture.pool(p -> {
            p.setMaxConnections(1);
            p.setMaxSessionsPerConnection(1);
            p.setPoolConsumers(true);
        });
        AtomicInteger oldListener = new AtomicInteger();
        MessageConsumer first;
        try (Connection c = consumers.createConnection()) {
            Session s = c.createSession();
            first = s.createConsumer(s.createQueue("kept"));
            first.setMessageListener(m -> oldListener.incrementAndGet());
            c.start();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(first::getMessageListener)
                .isInstanceOf(jakarta.jms.IllegalStateException.class);
        fixture.send("kept", "m1");
        try (Connection c = consumers.createConnection()) {
            c.start();
            Session s = c.createSession();
            MessageConsumer second = s.createConsumer(s.createQueue("kept"));
            assertThat(second.getMessageListener()).isNull();
            assertThat(text(second.receive(2_000))).isEqualTo("m1");
        }
        assertThat(oldListener).hasValue(0);
    }
}
