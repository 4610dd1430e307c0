package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.LockedMessage;
import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.TunnelSession;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
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

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Peek-lock delivery through the real client and broker: competing consumers, recover, rollback, close and
 * connection loss, order after abandon, and settling locks that are not (or no longer) held.
 */
@Timeout(60)
class PeekLockDeliveryTest {
    private EmbeddedBroker broker;
    private TunnelConnectionFactory factory;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        // prefetch 1: a consumer holds at most one message it has not taken, so competition is visible
        factory = new TunnelConnectionFactory(broker.url() + "?prefetch=1");
    }

    @AfterEach
    void stop() throws Exception {
        for (Connection c : connections) {
            c.close();
        }
        broker.close();
    }

    private Connection connect() throws Exception {
        return connect(factory);
    }

    /** Prefetch 0: nothing is buffered ahead of receive, so what a consumer gets is decided at receive time. */
    private Connection connectWithoutPrefetch() throws Exception {
        return connect(new TunnelConnectionFactory(broker.url() + "?prefetch=0"));
    }

    private Connection connect(TunnelConnectionFactory from) throws Exception {
        Connection c = from.createConnection();
        connections.add(c);
        c.start();
        return c;
    }

    private void send(String queue, String... bodies) throws Exception {
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            for (String body : bodies) {
                p.send(s.createTextMessage(body));
            }
        }
    }

    private static String text(Message m) throws Exception {
        return m == null ? null : ((TextMessage) m).getText();
    }

    @Test
    void aCompetingConsumerGetsTheNextMessageWhileOneIsLockedAndTheLockedOneAfterItsSessionCloses() throws Exception {
        send("pl.compete", "m1", "m2");
        Session holder = connectWithoutPrefetch().createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Message held = holder.createConsumer(holder.createQueue("pl.compete")).receive(5_000);
        assertThat(text(held)).isEqualTo("m1");

        Session other = connectWithoutPrefetch().createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer competitor = other.createConsumer(other.createQueue("pl.compete"));
        Message next = competitor.receive(5_000);
        assertThat(text(next)).as("m1 is locked: the competitor gets the next one").isEqualTo("m2");
        assertThat(next.getJMSRedelivered()).isFalse();
        next.acknowledge();
        assertThat(competitor.receive(300)).as("nothing else is available while m1 is locked").isNull();

        holder.close(); // without acknowledging: the lock is abandoned at once
        Message again = competitor.receive(5_000);
        assertThat(text(again)).isEqualTo("m1");
        assertThat(again.getJMSRedelivered()).isTrue();
        assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        again.acknowledge();
        assertThat(broker.queueDepth("pl.compete")).isZero();
    }

    @Test
    void recoverRedeliversEveryUnacknowledgedMessageInOriginalOrderMarkedRedelivered() throws Exception {
        send("pl.recover", "m1", "m2", "m3");
        Session session = connect().createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue("pl.recover"));
        assertThat(text(consumer.receive(5_000))).isEqualTo("m1");
        assertThat(text(consumer.receive(5_000))).isEqualTo("m2");

        session.recover();

        List<String> bodies = new ArrayList<>();
        List<Boolean> redelivered = new ArrayList<>();
        Message last = null;
        for (int i = 0; i < 3; i++) {
            last = consumer.receive(5_000);
            bodies.add(text(last));
            redelivered.add(last.getJMSRedelivered());
        }
        assertThat(bodies).containsExactly("m1", "m2", "m3");
        assertThat(redelivered).as("seen before recover: redelivered; only buffered: not").containsExactly(true, true,
                false);
        last.acknowledge();
        assertThat(consumer.receive(200)).isNull();
        assertThat(broker.queueDepth("pl.recover")).isZero();
    }

    @Test
    void individualAcknowledgeCompletesOneMessageAndRecoverRedeliversTheRest() throws Exception {
        send("pl.individual", "m1", "m2", "m3");
        Session session = connect().createSession(false, TunnelSession.INDIVIDUAL_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue("pl.individual"));
        consumer.receive(5_000);
        Message m2 = consumer.receive(5_000);
        consumer.receive(5_000);
        m2.acknowledge();
        session.recover();
        assertThat(text(consumer.receive(5_000))).isEqualTo("m1");
        Message m3 = consumer.receive(5_000);
        assertThat(text(m3)).isEqualTo("m3");
        assertThat(m3.getJMSRedelivered()).isTrue();
    }

    @Test
    void rollbackAbandonsWhatWasReceivedAndDiscardsStagedSendsCommitDoesBothAtomically() throws Exception {
        send("pl.tx.in", "m1");
        Session tx = connect().createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer in = tx.createConsumer(tx.createQueue("pl.tx.in"));
        MessageProducer out = tx.createProducer(tx.createQueue("pl.tx.out"));

        Message first = in.receive(5_000);
        out.send(tx.createTextMessage("derived from " + text(first)));
        tx.rollback();
        assertThat(broker.queueDepth("pl.tx.out")).as("the staged send was discarded").isZero();

        Message again = in.receive(5_000);
        assertThat(text(again)).isEqualTo("m1");
        assertThat(again.getJMSRedelivered()).isTrue();
        assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        out.send(tx.createTextMessage("derived from " + text(again)));
        tx.commit();

        assertThat(broker.queueDepth("pl.tx.in")).isZero();
        Session reader = connect().createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThat(text(reader.createConsumer(reader.createQueue("pl.tx.out")).receive(5_000)))
                .isEqualTo("derived from m1");
    }

    @Test
    void closingAConnectionWithoutAcknowledgingRedeliversAtOnce() throws Exception {
        send("pl.close", "m1");
        Connection first = connect();
        Session s = first.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        assertThat(text(s.createConsumer(s.createQueue("pl.close")).receive(5_000))).isEqualTo("m1");
        first.close();

        Session other = connect().createSession(false, Session.AUTO_ACKNOWLEDGE);
        Message again = other.createConsumer(other.createQueue("pl.close")).receive(5_000);
        assertThat(text(again)).isEqualTo("m1");
        assertThat(again.getJMSRedelivered()).isTrue();
    }

    @Test
    void aDroppedTcpConnectionLeadsToRedelivery() throws Exception {
        send("pl.drop", "m1");
        // reconnect=false: a reconnected consumer would compete for m1 with the other session
        Session s = connect(new TunnelConnectionFactory(broker.url() + "?prefetch=1&reconnect=false"))
                .createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Message held = s.createConsumer(s.createQueue("pl.drop")).receive(5_000);
        assertThat(text(held)).isEqualTo("m1");
        // the notice that the application has it (Settle TAKEN) travels just behind receive's return; a round trip
        // on the same session makes sure the broker has it before the cut
        assertThat(s.createBrowser(s.createQueue("pl.drop")).getEnumeration().hasMoreElements()).isTrue();

        broker.dropConnections();

        Session other = connect().createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Message again = other.createConsumer(other.createQueue("pl.drop")).receive(5_000);
        assertThat(text(again)).isEqualTo("m1");
        assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        assertThat(again.getJMSRedelivered()).isTrue();
        assertThatThrownBy(held::acknowledge).as("the dropped session can settle nothing")
                .isInstanceOf(IllegalStateException.class);
        again.acknowledge();
        assertThat(broker.queueDepth("pl.drop")).isZero();
    }

    @Test
    void anAbandonedMessageComesBackBeforeTheMessagesBehindIt() throws Exception {
        send("pl.order", "m1", "m2", "m3");
        // without prefetch: a buffered m2 would be handed out before the abandoned m1 comes back
        Session session = connectWithoutPrefetch().createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue("pl.order"));
        Message m1 = consumer.receive(5_000);
        ((LockedMessage) m1).abandon();

        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Message m = consumer.receive(5_000);
            order.add(text(m) + (m.getJMSRedelivered() ? "*" : ""));
            ((LockedMessage) m).complete();
        }
        assertThat(order).containsExactly("m1*", "m2", "m3");
    }

    @Test
    void settlingALockNoLongerHeldFailsClearlyAndChangesNothingElse() throws Exception {
        send("pl.bad", "m1", "m2");
        Session session = connect().createSession(false, TunnelSession.INDIVIDUAL_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue("pl.bad"));
        Message m1 = consumer.receive(5_000);
        LockedMessage locked = (LockedMessage) m1;
        locked.complete();

        assertThatThrownBy(locked::complete).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lock token " + locked.getLockToken());
        assertThatThrownBy(locked::abandon).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> locked.deadLetter("late")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(locked::renewLock).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was lost");

        Message m2 = consumer.receive(5_000);
        assertThat(text(m2)).as("the session and the next message are unharmed").isEqualTo("m2");
        assertThat(m2.getJMSRedelivered()).isFalse();
        m2.acknowledge();
        assertThat(broker.queueDepth("pl.bad")).isZero();
        assertThat(broker.queueDepth("DLQ.pl.bad")).isZero();

        session.close();
        assertThatThrownBy(m2::acknowledge).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(locked::renewLock).isInstanceOf(IllegalStateException.class);
    }
}
