package io.tunnelmq.jms.client;

import io.tunnelmq.jms.LockedMessage;

import jakarta.jms.Connection;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the facade tells the engine about the application: which messages it was handed (TAKEN), and that it waits
 * on an empty buffer after the consumer gave messages back unseen (WAITING).
 */
@Timeout(30)
class DeliveryNoticesTest extends FakeBrokerTestSupport {

    private static String token(Message m) throws Exception {
        return ((LockedMessage) m).getLockToken();
    }

    private List<String> log(String prefix) {
        return broker.log().stream().filter(l -> l.startsWith(prefix)).toList();
    }

    @Test
    void aClientAcknowledgeReceiveTellsTheBrokerTheMessageWasHandedOut() throws Exception {
        Connection c = connect();
        Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        sendTexts(session, q, "a", "b");
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        Message a = consumer.receive(5_000);
        eventually("the notice arrives", () -> !log("taken").isEmpty());
        assertThat(log("taken")).as("only what the application got").containsExactly("taken " + token(a));
    }

    @Test
    void anAutoAcknowledgeReceiveSendsNoNoticeOnlyTheCompletion() throws Exception {
        Connection c = connect();
        Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        sendTexts(session, q, "a", "b", "c");
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        for (int i = 0; i < 3; i++) {
            assertThat(consumer.receive(5_000)).isNotNull();
        }
        eventually("everything is completed", () -> broker.depth("q") == 0);
        assertThat(log("taken")).isEmpty();
    }

    @Test
    void aListenerIsHandedTheMessageAfterTheNotice() throws Exception {
        Connection c = connect();
        Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        sendTexts(session, q, "a");
        CountDownLatch noticedFirst = new CountDownLatch(1);
        session.createConsumer(q).setMessageListener(m -> {
            broker.sync(); // the notice hops onto the loop before onMessage runs
            if (broker.log().stream().anyMatch(l -> l.startsWith("taken"))) {
                noticedFirst.countDown();
            }
        });
        c.start();
        assertThat(noticedFirst.await(5, TimeUnit.SECONDS)).as("TAKEN before onMessage").isTrue();
        eventually("completed once onMessage returned", () -> broker.depth("q") == 0);
    }

    @Test
    void receiveBodyTellsOnlyOnceTheBodyWasConverted() throws Exception {
        JMSContext context = track(factory.createContext(JMSContext.CLIENT_ACKNOWLEDGE));
        Queue q = context.createQueue("q");
        context.createProducer().send(q, "text");
        JMSConsumer consumer = context.createConsumer(q);
        assertThatThrownBy(() -> consumer.receiveBody(Integer.class, 5_000))
                .isInstanceOf(MessageFormatRuntimeException.class);
        broker.sync();
        assertThat(log("taken")).isEmpty();

        context.createProducer().send(q, "more");
        assertThat(consumer.receiveBody(String.class, 5_000)).isEqualTo("more");
        eventually("the notice arrives", () -> log("taken").size() == 1);
    }

    @Test
    void aBlockedReceiveAfterALostLockTellsTheBrokerItWaitsOnce() throws Exception {
        Connection c = connect();
        Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        sendTexts(session, q, "a", "b");
        MessageConsumer consumer = session.createConsumer(q);
        c.start();
        Message a = consumer.receive(5_000);
        // the fake delivered a and b in one go (the next lock token); b's lock expires while it sits unseen in the
        // buffer, and the fake hands it straight back under a new lock
        long bToken = Long.parseLong(token(a)) + 1;
        broker.expireLock(bToken);
        broker.sync();
        Message b = consumer.receive(5_000);
        assertThat(b).isNotNull();
        broker.sync(); // the facade's report hops onto the loop
        assertThat(log("declined")).hasSize(1);
        assertThat(log("dropped")).as("the session forgets the delivery it held").containsExactly("dropped " + bToken);
        assertThat(log("waiting")).isEmpty();

        assertThat(consumer.receive(200)).isNull(); // waits on an empty buffer
        eventually("the consumer says it waits", () -> log("waiting").size() == 1);
        assertThat(consumer.receive(50)).isNull();
        broker.sync();
        assertThat(log("waiting")).as("once").hasSize(1);
    }

    @Test
    void aWaitingReceiveWithoutDecliningSaysNothing() throws Exception {
        Connection c = connect();
        Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue("q"));
        c.start();
        assertThat(consumer.receive(100)).isNull();
        broker.sync();
        assertThat(log("waiting")).isEmpty();
    }
}
