package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.LockedMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static io.tunnelmq.jms.Eventually.eventually;
import static io.tunnelmq.jms.integration.BrokerClients.described;
import static io.tunnelmq.jms.integration.BrokerClients.receivePromptly;
import static io.tunnelmq.jms.integration.BrokerClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 12: a CLIENT_ACKNOWLEDGE {@code acknowledge()} where one lock was already lost completes the others and
 * fails naming (by JMSMessageID) the message that will come again.
 */
@Timeout(60)
class PeekLockPromiseAcknowledgeTest {
    private BrokerClients clients;

    @BeforeEach
    void start() {
        clients = BrokerClients.start();
    }

    @AfterEach
    void stop() {
        clients.close();
    }

    @Test
    void acknowledgeAfterOneLockWasLostCompletesTheOthersAndNamesTheLostOne() throws Exception {
        String queue = "promise.ack";
        Session session = clients.connect(PeekLockPromiseTest.SHORT_LOCK).createSession(false,
                Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
        clients.send(queue, "m0", "m1", "m2");
        Message m0 = consumer.receive(5_000);
        Message m1 = consumer.receive(5_000);
        Message m2 = consumer.receive(5_000);
        assertThat(text(m0) + text(m1) + text(m2)).isEqualTo("m0m1m2");
        long m0LockedUntil = ((LockedMessage) m0).getLockedUntil();
        assertThat(System.currentTimeMillis()).as("setup: all three taken well before m0's lock ends (slow machine?)")
                .isLessThan(m0LockedUntil - 300);

        // only m0's lock runs out: the test renews m1 and m2 (the client itself never does: maxLockRenewal=0); the
        // broker has let go of m0 once it is available again or delivered a fourth time (back into the buffer)
        eventually("m0's lock expired while m1 and m2 stayed locked", Duration.ofSeconds(10), () -> {
            renewWhenDue(m1);
            renewWhenDue(m2);
            return System.currentTimeMillis() > m0LockedUntil + 200
                    && (clients.stats(queue).available() > 0 || clients.stats(queue).delivered() > 3);
        });

        assertThatThrownBy(m2::acknowledge).as("acknowledge with m0's lock lost").isInstanceOf(JMSException.class)
                .hasMessageContaining(m0.getJMSMessageID())
                .hasMessageNotContaining(m1.getJMSMessageID())
                .hasMessageNotContaining(m2.getJMSMessageID());

        Message again = receivePromptly(consumer, "the consumer after the failed acknowledge");
        assertThat(described(again)).as("only the lost one comes again").isEqualTo("m0/2/true");
        again.acknowledge();
        assertThat(consumer.receive(300)).as("m1 and m2 were completed").isNull();
        assertThat(clients.broker.queueDepth(queue)).isZero();
    }

    /** Keeps a message's lock with half the lock duration to spare (the client is told not to renew it itself). */
    private static void renewWhenDue(Message m) {
        try {
            LockedMessage locked = (LockedMessage) m;
            if (locked.getLockedUntil() - System.currentTimeMillis() < 500) {
                locked.renewLock();
            }
        } catch (JMSException e) {
            throw new AssertionError("renewing the lock of a held message failed", e);
        }
    }
}
