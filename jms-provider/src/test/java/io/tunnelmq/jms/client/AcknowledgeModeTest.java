package io.tunnelmq.jms.client;

import io.tunnelmq.jms.LockedMessage;
import io.tunnelmq.jms.TunnelSession;
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
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How each acknowledge mode settles peek-locks, recover, and the LockedMessage extension. */
@Timeout(30)
class AcknowledgeModeTest extends FakeBrokerTestSupport {

    private static String text(Message m) throws JMSException {
        return ((TextMessage) m).getText();
    }

    @Test
    void autoAbandonsWhenTheListenerThrowsSoTheMessageIsRedelivered() throws Exception {
        Connection c = connect();
        Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        sendTexts(session, q, "flaky");
        List<String> seen = new ArrayList<>();
        CountDownLatch second = new CountDownLatch(1);
        session.createConsumer(q).setMessageListener(m -> {
            try {
                seen.add(text(m) + " redelivered=" + m.getJMSRedelivered() + " count="
                        + m.getIntProperty("JMSXDeliveryCount"));
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
            if (seen.size() == 1) {
                throw new RuntimeException("the application fails the first time");
            }
            second.countDown();
        });
        c.start();
        assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly("flaky redelivered=false count=1", "flaky redelivered=true count=2");
        eventually("the second delivery is completed", () -> broker.depth("q") == 0);
    }

    @Test
    void acknowledgingOnlyNonPersistentMessagesDoesNotWaitAndAFailureComesWithTheNextAcknowledge() throws Exception {
        Connection c = connect();
        Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        try (MessageProducer p = session.createProducer(q)) {
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            for (String t : List.of("a", "b", "c")) {
                p.send(session.createTextMessage(t));
            }
        }
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        broker.failNext("settle", ErrorCode.LOCK_EXPIRED);
        consumer.receive(5_000).acknowledge(); // refused by the broker, but nobody waits for that
        Message b = consumer.receive(5_000);
        session.createConsumer(session.createQueue("other")).close(); // a round trip: the refusal has arrived
        assertThatThrownBy(b::acknowledge).isInstanceOf(JMSException.class)
                .hasMessageContaining("an earlier acknowledgement");
        b.acknowledge(); // the failure is reported once; b is still unsettled and goes now
        eventually("a comes back, b is gone", () -> broker.depth("q") == 2);
    }

    @Test
    void acknowledgingAPersistentMessageWaitsForTheBroker() throws Exception {
        Connection c = connect();
        Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        sendTexts(session, q, "durable");
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        broker.failNext("settle", ErrorCode.LOCK_EXPIRED);
        Message m = consumer.receive(5_000);
        assertThatThrownBy(m::acknowledge).isInstanceOf(JMSException.class);
    }

    @Test
    void clientAcknowledgeCompletesEverythingDeliveredSoFar() throws JMSException {
        Connection c = connect();
        Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        sendTexts(session, q, "a", "b", "c", "d");
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        consumer.receive(5_000);
        Message b = consumer.receive(5_000);
        consumer.receive(5_000);
        broker.sync();
        assertThat(broker.depth("q")).isEqualTo(4); // nothing settled yet
        b.acknowledge(); // acknowledges a, b and c: everything the session delivered
        assertThat(broker.depth("q")).isEqualTo(1);
        assertThat(text(consumer.receive(5_000))).isEqualTo("d");
    }

    @Test
    void recoverRedeliversUnacknowledgedInOrderBeforeTheBufferedOnes() throws JMSException {
        Connection c = connect();
        Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        sendTexts(session, q, "1", "2", "3", "4", "5");
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        consumer.receive(5_000).acknowledge();
        assertThat(text(consumer.receive(5_000))).isEqualTo("2");
        assertThat(text(consumer.receive(5_000))).isEqualTo("3");
        session.recover();
        List<String> again = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Message m = consumer.receive(5_000);
            again.add(text(m) + (m.getJMSRedelivered() ? " redelivered" : ""));
        }
        assertThat(again).containsExactly("2 redelivered", "3 redelivered", "4", "5");
        again.clear();
        session.recover();
        Message m = consumer.receive(5_000);
        assertThat(text(m)).isEqualTo("2");
        assertThat(((LockedMessage) m).getDeliveryCount()).isEqualTo(3);
    }

    @Test
    void recoverKeepsOrderWhileDeliveriesAreInFlight() throws JMSException {
        // prefetch 2: every receive gives the broker credit for one more, so a delivery is often on its way
        // when recover runs; whatever the timing, redelivery must start again from the first unacknowledged
        Connection c = connect("tmq://localhost:9494?prefetch=2");
        Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        c.start();
        for (int round = 0; round < 25; round++) {
            Queue q = session.createQueue("q" + round);
            sendTexts(session, q, "1", "2", "3", "4", "5", "6");
            MessageConsumer consumer = session.createConsumer(q);
            int before = 1 + round % 4;
            for (int i = 0; i < before; i++) {
                consumer.receive(5_000);
            }
            session.recover();
            List<String> again = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                again.add(text(consumer.receive(5_000)));
            }
            assertThat(again).as("round %d after %d receives", round, before)
                    .containsExactly("1", "2", "3", "4", "5", "6");
            again.clear();
            consumer.close();
        }
    }

    @Test
    void recoverFromInsideAListenerRedeliversTheCurrentMessage() throws Exception {
        Connection c = connect();
        Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        sendTexts(session, q, "x", "y");
        List<String> seen = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        session.createConsumer(q).setMessageListener(m -> {
            try {
                seen.add(text(m) + (m.getJMSRedelivered() ? "'" : ""));
                if (seen.size() == 1) {
                    session.recover();
                }
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
            done.countDown();
        });
        c.start();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly("x", "x'", "y");
        eventually("all completed", () -> broker.depth("q") == 0);
    }

    @Test
    void individualAcknowledgeCompletesOnlyThatMessage() throws JMSException {
        Connection c = connect();
        Session session = c.createSession(false, TunnelSession.INDIVIDUAL_ACKNOWLEDGE);
        assertThat(session).isInstanceOf(TunnelSession.class);
        assertThat(session.getAcknowledgeMode()).isEqualTo(TunnelSession.INDIVIDUAL_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        sendTexts(session, q, "a", "b", "c");
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        consumer.receive(5_000);
        Message b = consumer.receive(5_000);
        consumer.receive(5_000);
        b.acknowledge();
        b.acknowledge(); // a second time changes nothing
        assertThat(broker.depth("q")).isEqualTo(2);
        session.recover();
        assertThat(text(consumer.receive(5_000))).isEqualTo("a");
        assertThat(text(consumer.receive(5_000))).isEqualTo("c");
    }

    @Test
    void dupsOkCompletesLazilyButCompletes() throws JMSException {
        Connection c = connect();
        Session session = c.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        String[] texts = new String[40];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = "m" + i;
        }
        sendTexts(session, q, texts);
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        for (int i = 0; i < texts.length; i++) {
            assertThat(consumer.receive(5_000)).isNotNull();
        }
        eventually("every message is completed", () -> broker.depth("q") == 0);
        assertThat(broker.log().stream().filter(l -> l.startsWith("settle COMPLETE")).count())
                .as("completions are batched").isLessThan(texts.length);
    }

    @Test
    void acknowledgeIsIgnoredInAutoMode() throws JMSException {
        Connection c = connect();
        Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        sendTexts(session, q, "a");
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        Message m = consumer.receive(5_000);
        m.acknowledge();
        eventually("it was completed on receive", () -> broker.depth("q") == 0);
    }

    @Test
    void lockedMessageSettlesItsOwnLock() throws JMSException {
        Connection c = connect();
        Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = session.createQueue("work");
        sendTexts(session, q, "complete me", "abandon me", "poison", "renew me");
        MessageConsumer consumer = session.createConsumer(q);
        c.start();

        LockedMessage first = (LockedMessage) consumer.receive(5_000);
        assertThat(first.getDeliveryCount()).isEqualTo(1);
        assertThat(first.getLockedUntil()).isGreaterThan(System.currentTimeMillis());
        assertThat(((Message) first).getStringProperty(LockedMessage.LOCK_TOKEN_PROPERTY))
                .isEqualTo(first.getLockToken());
        first.complete();
        assertThatThrownBy(first::complete).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not held");

        LockedMessage second = (LockedMessage) consumer.receive(5_000);
        second.abandon();
        LockedMessage poison = (LockedMessage) consumer.receive(5_000);
        assertThat(text((Message) poison)).isEqualTo("poison");
        poison.deadLetter("cannot parse");
        LockedMessage renew = (LockedMessage) consumer.receive(5_000);
        long before = renew.getLockedUntil();
        renew.renewLock();
        assertThat(renew.getLockedUntil()).isGreaterThanOrEqualTo(before);

        Message again = consumer.receive(5_000);
        assertThat(text(again)).isEqualTo("abandon me");
        assertThat(again.getJMSRedelivered()).isTrue();
        assertThat(((LockedMessage) again).getDeliveryCount()).isEqualTo(2);
        assertThat(broker.messages("DLQ.work")).hasSize(1);
        assertThat(broker.messages("DLQ.work").get(0).properties()).containsEntry("JMS_TMQ_DeadLetterReason",
                "cannot parse");

        again.acknowledge(); // completes "renew me" and "abandon me"; the others were settled already
        assertThat(broker.depth("work")).isZero();
    }

    @Test
    void anExpiredLockCannotBeSettled() throws JMSException {
        Connection c = connect();
        Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        sendTexts(session, q, "slow");
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        LockedMessage m = (LockedMessage) consumer.receive(5_000);
        broker.expireLock(Long.parseLong(m.getLockToken()));
        assertThatThrownBy(m::complete).isInstanceOf(IllegalStateException.class).hasMessageContaining("expired");
    }

    @Test
    void completeAfterAutoAcknowledgeIsAnIllegalState() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        Queue q = session.createQueue("q");
        sendTexts(session, q, "auto");
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        LockedMessage m = (LockedMessage) consumer.receive(5_000);
        assertThatThrownBy(m::abandon).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingTheSessionReleasesBufferedAndAbandonsUnacknowledged() throws JMSException {
        Connection c = connect();
        Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        sendTexts(session, q, "seen", "buffered");
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        Message seen = consumer.receive(5_000);
        // with the default prefetch the broker delivered "buffered" too; it sits unseen in the consumer
        session.close();
        assertThatThrownBy(seen::acknowledge).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        Session next = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer again = next.createConsumer(q);
        Message first = again.receive(5_000);
        Message second = again.receive(5_000);
        assertThat(text(first)).isEqualTo("seen");
        assertThat(first.getJMSRedelivered()).isTrue();
        assertThat(text(second)).isEqualTo("buffered");
        assertThat(second.getJMSRedelivered()).as("released, not abandoned").isFalse();
    }
}
