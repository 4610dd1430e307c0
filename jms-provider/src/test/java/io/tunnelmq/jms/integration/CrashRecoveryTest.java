package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker process is killed ({@code kill -9}) while a producer streams persistent messages, and restarted on the same
 * data directory: every message whose send returned is there exactly once and in order (the one in flight may or may
 * not be); every transaction whose commit returned is there whole, and no other transaction is there even in part.
 */
@Timeout(120)
class CrashRecoveryTest {
    private static final int BATCH = 10;

    @TempDir
    Path data;

    /** Sends until the broker dies; {@code returned} is the last sequence number whose send (or commit) returned. */
    private static CompletableFuture<Void> stream(String url, boolean transacted, AtomicInteger returned) {
        return CompletableFuture.runAsync(() -> {
            // reconnect=false: the producer is to stop at the kill, not wait for the broker to come back
            try (Connection c = new TunnelConnectionFactory(url + "?reconnect=false").createConnection()) {
                Session s = c.createSession(transacted, transacted ? Session.SESSION_TRANSACTED : Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createQueue("stream"));
                for (int i = 0; ; i++) {
                    p.send(s.createTextMessage(Integer.toString(i)));
                    if (!transacted) {
                        returned.set(i);
                    } else if (i % BATCH == BATCH - 1) {
                        s.commit();
                        returned.set(i);
                    }
                }
            } catch (JMSException e) {
                // the broker was killed
            }
        });
    }

    private List<Integer> consumeAll(String url) throws JMSException {
        List<Integer> received = new ArrayList<>();
        try (Connection c = new TunnelConnectionFactory(url).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = s.createQueue("stream");
            MessageConsumer consumer = s.createConsumer(queue);
            for (Message m; (m = consumer.receive(received.isEmpty() ? 5_000 : 1_000)) != null; ) {
                received.add(Integer.parseInt(((TextMessage) m).getText()));
            }
        }
        return received;
    }

    private List<Integer> crashWhileStreaming(boolean transacted) throws Exception {
        AtomicInteger returned = new AtomicInteger(-1);
        CompletableFuture<Void> producer;
        try (BrokerProcess broker = BrokerProcess.start(data, "-Xmx256m")) {
            producer = stream(broker.url(), transacted, returned);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (returned.get() < 300 && !producer.isDone() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // polling with a deadline
            }
            assertThat(returned.get()).as("sends returned before the kill\n" + broker.output()).isGreaterThanOrEqualTo(300);
            broker.kill();
            producer.get(30, TimeUnit.SECONDS);
        }
        int lastReturned = returned.get();
        try (BrokerProcess broker = BrokerProcess.start(data, "-Xmx256m")) {
            assertThat(broker.output()).contains("recovered");
            List<Integer> received = consumeAll(broker.url());
            assertThat(received.size()).as("messages after the restart").isGreaterThan(lastReturned);
            for (int i = 0; i < received.size(); i++) {
                assertThat(received.get(i)).as("message " + i + " of " + received.size()).isEqualTo(i);
            }
            return List.of(lastReturned, received.size());
        }
    }

    @Test
    void everySendThatReturnedSurvivesAKillExactlyOnceInOrder() throws Exception {
        List<Integer> r = crashWhileStreaming(false);
        // the send in flight when the broker died may or may not have been stored
        assertThat(r.get(1)).isBetween(r.get(0) + 1, r.get(0) + 2);
    }

    @Test
    void everyCommitThatReturnedSurvivesAKillAndNoOtherTransactionDoes() throws Exception {
        List<Integer> r = crashWhileStreaming(true);
        int lastCommitted = r.get(0);
        int count = r.get(1);
        assertThat(count % BATCH).as("only whole transactions").isZero();
        assertThat(count).isBetween(lastCommitted + 1, lastCommitted + 1 + BATCH);
    }
}
