package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.faults.Direction;
import io.tunnelmq.jms.faults.FaultProxy;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TransactionRolledBackException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.jms.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: a transacted session's commit whose connection is cut before the broker's answer has a known outcome.
 * If the broker applied it (only its answer was lost) commit() returns normally and nothing comes again; if the
 * Commit never reached the broker, commit() throws TransactionRolledBackException and the received messages come
 * again flagged JMSRedelivered, the sends discarded.
 */
@Timeout(60)
class CommitCutFailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String IN = "commit.in";
    private static final String OUT = "commit.out";
    private static final int COUNT = 5;

    private BrokerClients clients;
    private FaultProxy proxy;
    private Connection connection;
    private Session session;
    private MessageConsumer consumer;
    private MessageProducer producer;

    @BeforeEach
    void start() throws JMSException {
        clients = BrokerClients.start();
        proxy = FaultProxy.start(clients.broker.host(), clients.broker.port());
        connection = new TunnelConnectionFactory(proxy.url()).createConnection();
        connection.start();
        session = connection.createSession(true, Session.SESSION_TRANSACTED);
        consumer = session.createConsumer(session.createQueue(IN));
        producer = session.createProducer(session.createQueue(OUT));
        String[] bodies = new String[COUNT];
        for (int i = 0; i < COUNT; i++) {
            bodies[i] = "m" + i;
        }
        clients.send(IN, bodies);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.resume();
        connection.close();
        proxy.close();
        clients.close();
    }

    /** Receives every message of IN and sends one to OUT for each, in the open transaction. */
    private List<Message> work() throws JMSException {
        List<Message> received = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            Message m = consumer.receive(5_000);
            assertThat(m).as("message %d", i).isNotNull();
            received.add(m);
            producer.send(session.createTextMessage("reply to " + m.getJMSMessageID()));
        }
        return received;
    }

    /** Calls commit() on a thread of its own; returns once that thread waits for the broker's answer. */
    private CompletableFuture<Void> commitInBackground() throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread committer = new Thread(() -> {
            try {
                session.commit();
                done.complete(null);
            } catch (JMSException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, "committer");
        committer.start();
        eventually("commit() waits for the broker's answer", WAIT, () -> done.isDone()
                || committer.getState() == Thread.State.TIMED_WAITING || committer.getState() == Thread.State.WAITING);
        return done;
    }

    @Test
    void aCommitWhoseAnswerWasLostReturnsNormallyAndNothingComesAgain() throws Exception {
        work();
        proxy.stall(Direction.TO_CLIENT); // the broker applies the commit; its answer never arrives

        CompletableFuture<Void> commit = commitInBackground();
        eventually("the broker applied the commit", WAIT, () -> clients.stats(IN).depth() == 0
                && clients.stats(IN).locked() == 0 && clients.stats(OUT).depth() == COUNT);
        proxy.cut();
        proxy.resume();

        commit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(consumer.receive(1_000)).as("a committed receive never comes again").isNull();
        assertThat(clients.stats(OUT).depth()).as("the sends were stored once").isEqualTo(COUNT);
        session.commit();
    }

    @Test
    void aCommitThatNeverReachedTheBrokerRollsBackAndTheMessagesComeAgainFlagged() throws Exception {
        List<Message> first = work();
        proxy.stall(Direction.TO_BROKER); // the Commit never reaches the broker

        CompletableFuture<Void> commit = commitInBackground();
        proxy.cut();
        proxy.resume();

        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> commit.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(failed.getCause()).isInstanceOf(TransactionRolledBackException.class)
                .hasMessageContaining("the broker did not apply it");
        assertThat(clients.stats(OUT).depth()).as("the sends were discarded").isZero();

        List<Message> again = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            Message m = consumer.receive(5_000);
            assertThat(m).as("message %d again", i).isNotNull();
            again.add(m);
        }
        for (int i = 0; i < COUNT; i++) {
            assertThat(again.get(i).getJMSMessageID()).isEqualTo(first.get(i).getJMSMessageID());
            assertThat(again.get(i).getJMSRedelivered()).as("%s is flagged", again.get(i).getJMSMessageID()).isTrue();
        }
        session.commit();
        eventually("consumed", WAIT, () -> clients.stats(IN).depth() == 0 && clients.stats(IN).locked() == 0);
    }
}
