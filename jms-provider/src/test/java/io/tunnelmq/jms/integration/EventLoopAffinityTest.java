package io.tunnelmq.jms.integration;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.tunnelmq.jms.Eventually.eventually;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A requester and a responder on two connections (on two of the broker's event loops, as Netty spreads connections):
 * the broker moves one connection onto the other's loop while they talk, and nothing of the conversation is lost,
 * doubled or reordered on the way.
 */
@Timeout(60)
class EventLoopAffinityTest {
    private static final long WAIT = 10_000;
    private static final int BURST = 10;

    private final BrokerClients clients = BrokerClients.start();

    @AfterEach
    void stop() {
        clients.close();
    }

    @Test
    void aRequestReplyPairEndsOnOneLoopAndEveryReplyArrivesOnceInOrder() throws Exception {
        Connection requester = clients.connect("");
        Connection responder = clients.connect("");
        Session ss = responder.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer replier = ss.createProducer(null);
        ss.createConsumer(ss.createQueue("affinity.requests")).setMessageListener(request -> {
            try {
                replier.send(request.getJMSReplyTo(), ss.createTextMessage(((TextMessage) request).getText()));
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        Session rs = requester.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue replies = rs.createTemporaryQueue();
        MessageConsumer answers = rs.createConsumer(replies);
        MessageProducer asker = rs.createProducer(rs.createQueue("affinity.requests"));

        // paced, 5 ms between bursts (~2,000 a second): a conversation (a flood would never join)
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        pacer.scheduleWithFixedDelay(() -> {
            try {
                askAndCheck(rs, asker, answers, replies, sent.get());
                sent.addAndGet(BURST);
            } catch (Throwable e) {
                failed.compareAndSet(null, e);
                throw new IllegalStateException(e); // ends the schedule
            }
        }, 0, 5, TimeUnit.MILLISECONDS);
        try {
            eventually("a connection moved", Duration.ofSeconds(30),
                    () -> failed.get() != null || clients.broker.management().counters().connectionMoves() > 0);
            int movedAt = sent.get();
            eventually("500 more round trips after the move", Duration.ofSeconds(30),
                    () -> failed.get() != null || sent.get() >= movedAt + 500);
        } finally {
            pacer.shutdown();
            assertThat(pacer.awaitTermination(WAIT, TimeUnit.MILLISECONDS)).isTrue();
        }
        assertThat(failed.get()).isNull();
        assertThat(answers.receive(100)).as("no reply twice").isNull();
        assertThat(clients.broker.management().counters().connectionMoves()).as("joined once, never left").isEqualTo(1);
    }

    /** Sends {@code BURST} numbered requests and checks their replies arrive, each once, in order. */
    private static void askAndCheck(Session rs, MessageProducer asker, MessageConsumer answers,
                                    TemporaryQueue replies, int first) throws JMSException {
        for (int i = 0; i < BURST; i++) {
            TextMessage request = rs.createTextMessage(Integer.toString(first + i));
            request.setJMSReplyTo(replies);
            asker.send(request);
        }
        for (int i = 0; i < BURST; i++) {
            Message answer = answers.receive(WAIT);
            assertThat(answer).as("reply to request " + (first + i)).isNotNull();
            assertThat(((TextMessage) answer).getText()).isEqualTo(Integer.toString(first + i));
        }
    }
}
