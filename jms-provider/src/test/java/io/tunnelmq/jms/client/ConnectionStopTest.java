package io.tunnelmq.jms.client;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Connection.stop() gives buffered unseen messages back (count unchanged); start() asks for messages again. */
@Timeout(30)
class ConnectionStopTest extends FakeBrokerTestSupport {

    private static String text(Message m) throws Exception {
        return ((TextMessage) m).getText();
    }

    @Test
    void stopReleasesTheBufferToACompetingConsumerWithItsCountUnchanged() throws Exception {
        Connection first = connect();
        Session s1 = first.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s1.createQueue("q");
        sendTexts(s1, q, "seen", "unseen-1", "unseen-2");
        MessageConsumer c1 = s1.createConsumer(q);
        first.start();
        Message seen = c1.receive(5_000);
        assertThat(text(seen)).isEqualTo("seen");

        first.stop();
        assertThat(broker.log()).anyMatch(l -> l.startsWith("stop consumer") && l.contains(", "));

        Connection second = connect();
        Session s2 = second.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer c2 = s2.createConsumer(q);
        second.start();
        Message m1 = c2.receive(5_000);
        Message m2 = c2.receive(5_000);
        assertThat(text(m1)).isEqualTo("unseen-1");
        assertThat(text(m2)).isEqualTo("unseen-2");
        assertThat(m1.getJMSRedelivered()).as("released, not abandoned").isFalse();
        assertThat(m1.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        seen.acknowledge(); // what the application holds stays its own while stopped
        assertThat(c2.receiveNoWait()).isNull();
    }

    @Test
    void aReceiveOnAStoppedConnectionWaitsAndGetsTheMessageAfterStart() throws Exception {
        Connection c = connect();
        Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        c.stop();
        sendTexts(session, q, "later");
        CompletableFuture<Message> received = whileBlocked(() -> consumer.receive(10_000));
        broker.sync();
        assertThat(received).as("no delivery while stopped").isNotDone();
        assertThat(broker.depth("q")).isEqualTo(1);

        c.start();
        assertThat(text(received.get(5, TimeUnit.SECONDS))).isEqualTo("later");
        assertThat(broker.log()).contains("start consumer 1");
    }

    @Test
    void aListenerStopsAndResumesWithTheConnection() throws Exception {
        Connection c = connect();
        Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        CountDownLatch got = new CountDownLatch(2);
        session.createConsumer(q).setMessageListener(m -> got.countDown());
        c.start();
        sendTexts(session, q, "one");
        eventually("the first message is consumed", () -> got.getCount() == 1);
        c.stop();
        sendTexts(session, q, "two");
        broker.sync();
        assertThat(got.getCount()).isEqualTo(1);
        assertThat(broker.depth("q")).as("not delivered to a stopped connection").isEqualTo(1);
        c.start();
        assertThat(got.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aPullConsumerPullsAgainAfterStart() throws Exception {
        Connection c = connect("tmq://localhost:9494?prefetch=0");
        Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        CompletableFuture<Message> received = whileBlocked(() -> consumer.receive(10_000));
        c.stop(); // cancels the pull on its way; the receive goes on waiting
        sendTexts(session, q, "pulled");
        broker.sync();
        assertThat(received).isNotDone();
        c.start();
        assertThat(text(received.get(5, TimeUnit.SECONDS))).isEqualTo("pulled");
    }

    @Test
    void aPullConsumerOfAConnectionNotYetStartedPullsOnceItStarts() throws Exception {
        Connection c = connect("tmq://localhost:9494?prefetch=0");
        Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        sendTexts(session, q, "waiting");
        MessageConsumer consumer = session.createConsumer(q);
        CompletableFuture<Message> received = whileBlocked(() -> consumer.receive(10_000));
        broker.sync();
        assertThat(received).isNotDone();
        c.start();
        assertThat(text(received.get(5, TimeUnit.SECONDS))).isEqualTo("waiting");
    }
}
