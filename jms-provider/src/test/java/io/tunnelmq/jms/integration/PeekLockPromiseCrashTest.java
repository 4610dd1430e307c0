package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.tunnelmq.jms.integration.BrokerClients.count;
import static io.tunnelmq.jms.integration.BrokerClients.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, case 4: a broker process with a journal is killed ({@code kill -9}) while persistent messages are in
 * applications' hands (received and unacknowledged, or inside an uncommitted transaction), sit in prefetch buffers, or
 * were never delivered. After the restart the ones an application was handed come back with JMSRedelivered=true and
 * their count raised; the others as new (count 1, JMSRedelivered=false).
 */
@Timeout(120)
class PeekLockPromiseCrashTest {
    @TempDir
    Path data;

    @Test
    void messagesInApplicationsHandsComeBackRedeliveredAfterAKillTheOthersAsNew() throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(data, "-Xmx256m")) {
            // reconnect=false: these connections are to die with the broker, not wait for the next one
            TunnelConnectionFactory factory = new TunnelConnectionFactory(broker.url() + "?reconnect=false");
            Connection producer = factory.createConnection();
            Connection clientAck = factory.createConnection();
            Connection transacted = factory.createConnection();
            try {
                send(producer, "crash.ack", "a0", "a1", "a2", "a3");
                send(producer, "crash.tx", "t0", "t1", "t2");
                send(producer, "crash.idle", "i0");

                clientAck.start();
                Session ack = clientAck.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                MessageConsumer ackConsumer = ack.createConsumer(ack.createQueue("crash.ack"));
                assertThat(text(ackConsumer.receive(5_000))).isEqualTo("a0");
                assertThat(text(ackConsumer.receive(5_000))).isEqualTo("a1"); // a2, a3: in the buffer, unseen

                transacted.start();
                Session tx = transacted.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer txConsumer = tx.createConsumer(tx.createQueue("crash.tx"));
                assertThat(text(txConsumer.receive(5_000))).isEqualTo("t0");
                assertThat(text(txConsumer.receive(5_000))).isEqualTo("t1"); // t2: in the buffer, unseen

                // The "handed out" mark is written lazily, riding on the journal's next group commit. Before the kill
                // the test makes sure the broker has had it: a round trip on the receiving session (a browse) comes
                // back only after the broker processed what that session sent before, and a persistent send on the
                // same connection returns only once the journal fsynced it, with every record enqueued before it.
                markedDurably(clientAck, ack);
                markedDurably(transacted, tx);
                broker.kill();
            } finally {
                for (Connection c : List.of(producer, clientAck, transacted)) {
                    closeQuietly(c);
                }
            }
        }

        try (BrokerProcess broker = BrokerProcess.start(data, "-Xmx256m")) {
            assertThat(broker.output()).contains("recovered");
            try (Connection c = new TunnelConnectionFactory(broker.url()).createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                List<String> ackQueue = drain(s, "crash.ack", 4);
                List<String> txQueue = drain(s, "crash.tx", 3);
                List<String> idle = drain(s, "crash.idle", 1);
                assertThat(ackQueue).as("received and unacknowledged: redelivered; buffered: as new")
                        .containsExactlyInAnyOrder("a0/raised/true", "a1/raised/true", "a2/1/false", "a3/1/false");
                assertThat(txQueue).as("inside an uncommitted transaction: redelivered; buffered: as new")
                        .containsExactlyInAnyOrder("t0/raised/true", "t1/raised/true", "t2/1/false");
                assertThat(idle).as("never delivered").containsExactly("i0/1/false");
            }
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (JMSException | RuntimeException e) {
            // its broker was killed: nothing left to release
        }
    }

    private static void send(Connection c, String queue, String... bodies) throws JMSException {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue(queue));
        for (String body : bodies) {
            p.send(s.createTextMessage(body)); // persistent by default: stored once send returns
        }
        s.close();
    }

    private static void markedDurably(Connection connection, Session receiving) throws JMSException {
        receiving.createBrowser(receiving.createQueue("crash.sync")).getEnumeration().hasMoreElements();
        send(connection, "crash.sync", "sync");
    }

    /** "body/count/redelivered", with a count above 1 shown as "raised" (how far it rose is not the point). */
    private static List<String> drain(Session s, String queue, int expected) throws JMSException {
        List<String> got = new ArrayList<>();
        MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
        for (int i = 0; i < expected; i++) {
            Message m = consumer.receive(5_000);
            assertThat(m).as("message %d of %s after the restart (got %s)", i, queue, got).isNotNull();
            got.add(text(m) + "/" + (count(m) > 1 ? "raised" : Integer.toString(count(m))) + "/"
                    + m.getJMSRedelivered());
        }
        assertThat(consumer.receive(300)).as("nothing more on %s", queue).isNull();
        consumer.close();
        return got;
    }
}
