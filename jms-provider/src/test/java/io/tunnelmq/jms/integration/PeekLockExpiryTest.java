package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.LockedMessage;
import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.tunnelmq.jms.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lock durations over the real stack: automatic and explicit renewal, expiry, and what a lost lock means. */
@Timeout(60)
class PeekLockExpiryTest {
    /** Lock times are read on two clocks of one machine; this covers the offset estimate and timer ticks. */
    private static final long CLOCK_MARGIN = 150;

    private EmbeddedBroker broker;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
    }

    @AfterEach
    void stop() throws Exception {
        for (Connection c : connections) {
            c.close();
        }
        broker.close();
    }

    private Session session(String options, int mode) throws Exception {
        Connection c = new TunnelConnectionFactory(broker.url() + "?" + options).createConnection();
        connections.add(c);
        c.start();
        return c.createSession(mode == Session.SESSION_TRANSACTED, mode);
    }

    /** Sends "m1" to {@code queue}, receives it in {@code session} and waits until its lock ran out on the broker. */
    private MessageConsumer receivedUntilItsLockRanOut(Session session, String queue) throws Exception {
        send(queue, "m1");
        MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
        assertThat(((TextMessage) consumer.receive(5_000)).getText()).isEqualTo("m1");
        eventually("the lock ran out on the broker", Duration.ofSeconds(5),
                () -> broker.queueStats(queue).locked() == 0);
        return consumer;
    }

    private void send(String queue, String... bodies) throws Exception {
        Session s = session("prefetch=0", Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue(queue));
        for (String body : bodies) {
            p.send(s.createTextMessage(body));
        }
    }

    @Test
    void automaticRenewalKeepsASlowClientAcknowledgeConsumersLockBeyondTheLockDuration() throws Exception {
        send("exp.slow", "m1");
        Session slow = session("prefetch=0&lockDuration=1000", Session.CLIENT_ACKNOWLEDGE);
        Message held = slow.createConsumer(slow.createQueue("exp.slow")).receive(5_000);
        assertThat(((TextMessage) held).getText()).isEqualTo("m1");
        long firstLockedUntil = ((LockedMessage) held).getLockedUntil();

        // three lock durations in which a competitor keeps asking: it must get nothing
        Session competitor = session("prefetch=0", Session.CLIENT_ACKNOWLEDGE);
        assertThat(competitor.createConsumer(competitor.createQueue("exp.slow")).receive(3_000)).isNull();

        assertThat(((LockedMessage) held).getLockedUntil()).as("the engine renewed the lock")
                .isGreaterThan(firstLockedUntil + 1_000);
        assertThat(held.getLongProperty(LockedMessage.LOCKED_UNTIL_PROPERTY))
                .isEqualTo(((LockedMessage) held).getLockedUntil());
        held.acknowledge();
        assertThat(broker.queueDepth("exp.slow")).isZero();
    }

    @Test
    void withoutRenewalTheLockExpiresAndTheMessageIsRedeliveredWithItsCountRaised() throws Exception {
        send("exp.none", "m1");
        Session slow = session("prefetch=0&lockDuration=1000&maxLockRenewal=0", Session.CLIENT_ACKNOWLEDGE);
        Message held = slow.createConsumer(slow.createQueue("exp.none")).receive(5_000);
        assertThat(held.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);

        Session other = session("prefetch=0", Session.CLIENT_ACKNOWLEDGE);
        Message again = other.createConsumer(other.createQueue("exp.none")).receive(5_000);
        assertThat(((TextMessage) again).getText()).isEqualTo("m1");
        assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        assertThat(again.getJMSRedelivered()).isTrue();

        assertThatThrownBy(held::acknowledge).as("the expired lock cannot be completed")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("expired");
        assertThatThrownBy(((LockedMessage) held)::renewLock).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was lost");
        again.acknowledge();
        assertThat(broker.queueDepth("exp.none")).isZero();
    }

    @Test
    void aCommitAfterAReceivedMessagesLockExpiredRollsBackAndTheMessageComesAgain() throws Exception {
        Session tx = session("prefetch=0&lockDuration=500&maxLockRenewal=0", Session.SESSION_TRANSACTED);
        MessageConsumer consumer = receivedUntilItsLockRanOut(tx, "exp.tx");

        // the commit must not say the work is done: the message would come again after it
        assertThatThrownBy(tx::commit).isInstanceOf(TransactionRolledBackException.class)
                .hasMessageContaining("expired before the commit");

        Message again = consumer.receive(5_000);
        assertThat(((TextMessage) again).getText()).isEqualTo("m1");
        assertThat(again.getJMSRedelivered()).isTrue();
        tx.commit();
        assertThat(broker.queueDepth("exp.tx")).isZero();
    }

    @Test
    void recoverAfterALockRanOutRedeliversWithoutComplaint() throws Exception {
        Session slow = session("prefetch=0&lockDuration=500&maxLockRenewal=0", Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = receivedUntilItsLockRanOut(slow, "exp.recover");
        Message again = consumer.receive(5_000); // the same message, to the same session, under a new lock
        assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);

        slow.recover(); // gives back both: the first lock ran out, which is what recover wants anyway

        Message third = consumer.receive(5_000);
        assertThat(((TextMessage) third).getText()).isEqualTo("m1");
        assertThat(third.getIntProperty("JMSXDeliveryCount")).isEqualTo(3);
        third.acknowledge();
        assertThat(broker.queueDepth("exp.recover")).isZero();
    }

    @Test
    void aNonPersistentAcknowledgeOfALostLockIsNotWaitedForAndTheNextAcknowledgeSaysSo() throws Exception {
        Session producer = session("prefetch=0", Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = producer.createProducer(producer.createQueue("exp.np"));
        p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        p.send(producer.createTextMessage("m1"));
        Session slow = session("prefetch=0&lockDuration=1000&maxLockRenewal=0", Session.CLIENT_ACKNOWLEDGE);
        Message held = slow.createConsumer(slow.createQueue("exp.np")).receive(5_000);
        Session other = session("prefetch=0", Session.CLIENT_ACKNOWLEDGE);
        Message again = other.createConsumer(other.createQueue("exp.np")).receive(5_000);
        assertThat(again.getJMSRedelivered()).isTrue();

        held.acknowledge(); // a completion without an answer: returns before the broker has seen it
        slow.createConsumer(slow.createQueue("exp.np.other")).close(); // a round trip: the broker's report is in

        assertThatThrownBy(held::acknowledge).as("the broker reported the lost lock; the next acknowledge throws")
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("an earlier acknowledgement failed")
                .hasMessageContaining(held.getJMSMessageID()).hasMessageContaining("delivered again");
        held.acknowledge(); // reported once
        again.acknowledge();
        eventually("the redelivered copy's completion arrives", Duration.ofSeconds(10),
                () -> broker.queueDepth("exp.np") == 0);
    }

    @Test
    void renewLockReportsTheBrokersNewExpiryExactly() throws Exception {
        send("exp.renew", "m1");
        Session session = session("prefetch=0&lockDuration=2000&maxLockRenewal=0", Session.CLIENT_ACKNOWLEDGE);
        Message m = session.createConsumer(session.createQueue("exp.renew")).receive(5_000);
        LockedMessage locked = (LockedMessage) m;
        long delivered = System.currentTimeMillis();
        // the clock offset learnt at the handshake ignores network latency: allow the margin on both sides
        assertThat(locked.getLockedUntil()).isBetween(delivered + 2_000 - 2 * CLOCK_MARGIN,
                delivered + 2_000 + CLOCK_MARGIN);

        // a renewal later than delivery moves the expiry to the lock duration from the renewal
        Session other = session("prefetch=0", Session.AUTO_ACKNOWLEDGE);
        assertThat(other.createConsumer(other.createQueue("exp.none.elsewhere")).receive(300)).isNull();
        long before = System.currentTimeMillis();
        locked.renewLock();
        long after = System.currentTimeMillis();
        assertThat(locked.getLockedUntil()).isBetween(before + 2_000 - CLOCK_MARGIN, after + 2_000 + CLOCK_MARGIN);
        assertThat(m.getLongProperty(LockedMessage.LOCKED_UNTIL_PROPERTY)).isEqualTo(locked.getLockedUntil());
        m.acknowledge();
    }

    @Test
    void aBufferedMessageWhoseLockWasLostIsNotHandedToTheApplication() throws Exception {
        send("exp.buffered", "m1", "m2");
        // long enough that m2 is surely in the buffer before either lock runs out, even on a loaded machine
        Session slow = session("prefetch=1&lockDuration=2000&maxLockRenewal=0", Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = slow.createConsumer(slow.createQueue("exp.buffered"));
        Message m1 = consumer.receive(5_000); // m2 is delivered into the buffer behind it
        assertThat(((TextMessage) m1).getText()).isEqualTo("m1");

        // a competitor gets the unseen m2 at once (revoked from the buffer, count unchanged), and m1 again once the
        // lock the application let run out expires (count raised: the application had it)
        Session other = session("prefetch=0", Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer competitor = other.createConsumer(other.createQueue("exp.buffered"));
        List<String> redelivered = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Message m = competitor.receive(5_000);
            redelivered.add(((TextMessage) m).getText() + "/" + m.getIntProperty("JMSXDeliveryCount"));
            m.acknowledge();
        }
        assertThat(redelivered).containsExactly("m2/1", "m1/2");

        assertThat(consumer.receive(500)).as("the buffered m2 left the buffer and is not handed out").isNull();
        assertThat(broker.queueDepth("exp.buffered")).isZero();
    }
}
