package io.tunnelmq.jms.client;

import io.tunnelmq.jms.TunnelConnection;
import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.TunnelConnectionListener;
import io.tunnelmq.jms.failover.FailoverEngineFactory;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the facade does when the layer below says the connection was interrupted and restored. The fake broker plays
 * the failover layer ({@code interruptConnections}/{@code restoreConnections}), so these connections use
 * {@code reconnect=false}: the facade talks to the fake directly.
 */
@Timeout(30)
class InterruptionFacadeTest extends FakeBrokerTestSupport {
    private static final String URL = "tmq://localhost:9494?reconnect=false";

    @Test
    void anInterruptionDropsTheBufferAndDeliveriesResumeOnTheSameConsumer() throws Exception {
        Connection c = connect(URL);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("q");
        MessageConsumer consumer = s.createConsumer(q);
        c.start();
        sendTexts(s, q, "m1", "m2", "m3"); // a persistent send returns after the broker delivered it: all buffered
        assertThat(broker.lockedCount()).isEqualTo(3);

        broker.interruptConnections("the socket closed");
        broker.sync();
        assertThat(consumer.receiveNoWait()).as("the buffered messages were dropped").isNull();
        assertThat(broker.log()).as("dropped without a settlement, not skipped one by one as lost locks")
                .noneMatch(line -> line.startsWith("declined") || line.startsWith("settle"));
        assertThat(broker.depth("q")).as("nothing lost").isEqualTo(3);
        assertThat(broker.lockedCount()).isZero();

        long start = System.nanoTime();
        assertThat(consumer.receive(400)).as("a receive while interrupted honours its timeout").isNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(400L, 5_000L);

        broker.restoreConnections("localhost:9494");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            texts.add(((TextMessage) consumer.receive(5_000)).getText());
        }
        assertThat(texts).containsExactly("m1", "m2", "m3");
        broker.sync();
        assertThat(broker.depth("q")).isZero();
    }

    @Test
    void aReceiveBlockedAcrossAnInterruptionKeepsWaitingForItsTimeout() throws Exception {
        Connection c = connect(URL);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
        c.start();
        long start = System.nanoTime();
        CompletableFuture<Message> blocked = whileBlocked(() -> consumer.receive(700));
        broker.interruptConnections("the socket closed");
        assertThat(blocked.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(700);

        // a receive without timeout blocked while interrupted gets the first message after the restore
        CompletableFuture<Message> waiting = whileBlocked(consumer::receive);
        sendTexts(c.createSession(), s.createQueue("q"), "after");
        broker.restoreConnections("localhost:9494");
        assertThat(((TextMessage) waiting.get(5, TimeUnit.SECONDS)).getText()).isEqualTo("after");
    }

    @Test
    void aPrefetchZeroReceiverAsksAgainAfterTheRestore() throws Exception {
        Connection c = connect("tmq://localhost:9494?reconnect=false&prefetch=0");
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("q0");
        MessageConsumer consumer = s.createConsumer(q);
        c.start();
        CompletableFuture<Message> waiting = whileBlocked(consumer::receive); // its pull is lost with the connection
        broker.interruptConnections("the socket closed");
        broker.restoreConnections("localhost:9494");
        sendTexts(c.createSession(), q, "m1");
        assertThat(((TextMessage) waiting.get(5, TimeUnit.SECONDS)).getText()).isEqualTo("m1");
    }

    @Test
    void aMessageListenerGetsNothingWhileInterruptedThenGoesOn() throws Exception {
        Connection c = connect(URL);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("q");
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        s.createConsumer(q).setMessageListener(m -> {
            try {
                got.add(((TextMessage) m).getText());
            } catch (JMSException e) {
                throw new IllegalArgumentException(e);
            }
        });
        c.start();
        sendTexts(s, q, "m1");
        eventually("m1 reaches the listener", () -> got.size() == 1);
        // the listener records m1 before its AUTO_ACKNOWLEDGE completion reaches the broker: cut only after that
        eventually("m1 is completed", () -> broker.depth("q") == 0);

        broker.interruptConnections("the socket closed");
        sendTexts(c.createSession(), q, "m2");
        assertThat(broker.lockedCount()).as("nothing is delivered while interrupted").isZero();
        assertThat(broker.depth("q")).isEqualTo(1);

        broker.restoreConnections("localhost:9494");
        eventually("m2 reaches the same listener", () -> got.size() == 2);
        assertThat(got).containsExactly("m1", "m2");
    }

    @Test
    void theConnectionListenerHearsInOrderOnAThreadOfItsOwnAndMayThrow() throws Exception {
        TunnelConnection c = (TunnelConnection) connect(URL);
        CompletableFuture<JMSException> failed = new CompletableFuture<>();
        c.setExceptionListener(failed::complete);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        TunnelConnectionListener listener = new TunnelConnectionListener() {
            @Override
            public void interrupted(String brokerAddress, JMSException cause) {
                threads.add(Thread.currentThread().getName());
                events.add("interrupted " + brokerAddress + ": " + cause.getMessage());
                throw new IllegalArgumentException("a listener's bug must not stop the next call");
            }

            @Override
            public void restored(String brokerAddress) {
                threads.add(Thread.currentThread().getName());
                events.add("restored " + brokerAddress);
            }
        };
        c.setConnectionListener(listener);
        assertThat(c.getConnectionListener()).isSameAs(listener);

        broker.interruptConnections("heartbeats stopped");
        broker.restoreConnections("second:9495");
        broker.interruptConnections("reset by peer");
        broker.restoreConnections("localhost:9494");
        eventually("four events", () -> events.size() == 4);
        assertThat(events.get(0)).startsWith("interrupted localhost:9494: ")
                .contains("the connection to the TunnelMQ broker at localhost:9494 was lost")
                .contains("heartbeats stopped");
        assertThat(events.get(1)).isEqualTo("restored second:9495");
        assertThat(events.get(2)).startsWith("interrupted second:9495: ").contains("reset by peer");
        assertThat(events.get(3)).isEqualTo("restored localhost:9494");
        assertThat(threads).doesNotContain("fake-engine-loop").allMatch(t -> t.startsWith("tunnelmq-connection"));
        assertThat(failed).as("the ExceptionListener hears only a connection that gives up").isNotDone();
        c.createSession().close(); // still usable
    }

    @Test
    void theFactorysListenerReachesEveryConnectionAndContextItCreates() throws Exception {
        TunnelConnectionFactory f = factory(URL);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        TunnelConnectionListener listener = new TunnelConnectionListener() {
            @Override
            public void interrupted(String brokerAddress, JMSException cause) {
                events.add("interrupted");
            }

            @Override
            public void restored(String brokerAddress) {
                events.add("restored");
            }
        };
        f.setConnectionListener(listener);
        assertThat(f.getConnectionListener()).isSameAs(listener);
        Connection c = track(f.createConnection());
        assertThat(((TunnelConnection) c).getConnectionListener()).isSameAs(listener);
        JMSContext context = track(f.createContext());
        context.createProducer(); // the context's connection is open

        broker.interruptConnections("gone");
        broker.restoreConnections("localhost:9494");
        eventually("both connections heard both events", () -> events.size() == 4);
        assertThat(events).containsExactlyInAnyOrder("interrupted", "interrupted", "restored", "restored");
    }

    @Test
    void afterSetClientIdOnlyTheNewEngineConnectionIsHeard() throws Exception {
        TunnelConnection c = (TunnelConnection) connect(URL);
        c.setClientID("app-1"); // reconnects with the ID; the first engine connection is closed
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        c.setConnectionListener(new TunnelConnectionListener() {
            @Override
            public void interrupted(String brokerAddress, JMSException cause) {
                events.add("interrupted");
            }

            @Override
            public void restored(String brokerAddress) {
                events.add("restored");
            }
        });
        broker.interruptConnections("gone");
        broker.restoreConnections("localhost:9494");
        eventually("the events", () -> events.size() == 2);
        assertThat(events).containsExactly("interrupted", "restored");
        assertThat(c.getClientID()).isEqualTo("app-1");
    }

    @Test
    void aCommitAfterAnInterruptionRollsBackAndTheNextTransactionWorks() throws Exception {
        Connection c = connect(URL);
        c.start();
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        Queue q = tx.createQueue("tx");
        sendTexts(c.createSession(), q, "m1");
        MessageConsumer consumer = tx.createConsumer(q);
        assertThat(((TextMessage) consumer.receive(5_000)).getText()).isEqualTo("m1");
        tx.createProducer(tx.createQueue("out")).send(tx.createTextMessage("staged"));

        broker.interruptConnections("the socket closed");
        broker.restoreConnections("localhost:9494");
        assertThatThrownBy(tx::commit).isInstanceOf(TransactionRolledBackException.class)
                .hasMessageContaining("was lost");

        Message again = consumer.receive(5_000);
        assertThat(((TextMessage) again).getText()).isEqualTo("m1");
        assertThat(again.getJMSRedelivered()).isTrue();
        tx.commit();
        broker.sync();
        assertThat(broker.depth("tx")).isZero();
        assertThat(broker.depth("out")).as("the send of the rolled back transaction is gone").isZero();
        assertThat(consumer.receiveNoWait()).isNull();
    }

    @Test
    void acknowledgingAMessageHeldAcrossAnInterruptionNamesItAndItComesAgain() throws Exception {
        Connection c = connect(URL);
        c.start();
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("ack");
        sendTexts(c.createSession(), q, "m1");
        MessageConsumer consumer = s.createConsumer(q);
        Message held = consumer.receive(5_000);

        broker.interruptConnections("the socket closed");
        broker.restoreConnections("localhost:9494");
        assertThatThrownBy(held::acknowledge).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(held.getJMSMessageID())
                .hasMessageContaining("the connection to the broker was lost")
                .hasMessageContaining("delivered again").hasMessageContaining("none was acknowledged");
        Message again = consumer.receive(5_000);
        assertThat(again.getJMSMessageID()).isEqualTo(held.getJMSMessageID());
        assertThat(again.getJMSRedelivered()).isTrue();
        again.acknowledge();
        broker.sync();
        assertThat(broker.depth("ack")).isZero();
    }

    @Test
    void theFailoverLayerIsUsedExactlyWhenTheConnectionReconnects() throws Exception {
        JmsConnection reconnecting = (JmsConnection) connect("tmq://localhost:9494,localhost:9495?reconnectTimeout=5000");
        assertThat(reconnecting.engineFactory()).isInstanceOfSatisfying(FailoverEngineFactory.class,
                f -> assertThat(f.options()).isEqualTo(ConnectionSettings.forFailover(reconnecting.options())));
        JmsConnection plain = (JmsConnection) connect(URL);
        assertThat(plain.engineFactory()).isNotInstanceOf(FailoverEngineFactory.class);
    }
}
