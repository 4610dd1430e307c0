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

import java.util.concurrent.TimeUnit;

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

        int sent = 0;
        int movedAt = -1;
        while (movedAt < 0 || sent < movedAt + 500) {
            for (int i = 0; i < BURST; i++) {
                TextMessage request = rs.createTextMessage(Integer.toString(sent + i));
                request.setJMSReplyTo(replies);
                asker.send(request);
            }
            for (int i = 0; i < BURST; i++) {
                Message answer = answers.receive(WAIT);
                assertThat(answer).as("reply to request " + (sent + i)).isNotNull();
                assertThat(((TextMessage) answer).getText()).isEqualTo(Integer.toString(sent + i));
            }
            sent += BURST;
            TimeUnit.MILLISECONDS.sleep(5); // paced, ~2,000 a second: a conversation (a flood would never join)
            if (movedAt < 0 && clients.broker.management().counters().connectionMoves() > 0) {
                movedAt = sent;
            }
        }
        assertThat(answers.receive(100)).as("no reply twice").isNull();
        assertThat(clients.broker.management().counters().connectionMoves()).as("joined once, never left").isEqualTo(1);
    }
}
