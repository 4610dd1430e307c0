package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.LockedMessage;
import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tunnelmq.jms.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** Dead-lettering and redelivery backoff as a JMS application sees them. */
@Timeout(60)
class PeekLockDeadLetterTest {
    private EmbeddedBroker broker;
    private Connection connection;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0)
                .withQueueOverride("dl.poison", 0, 3)
                .withQueueOverride("dl.slow", new BrokerConfig.QueueOverride(0, 0, 300L, 2.0, 10_000L)));
        connection = new TunnelConnectionFactory(broker.url() + "?prefetch=0").createConnection();
        connection.start();
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        broker.close();
    }

    private void send(Session s, String queue, String body) throws Exception {
        s.createProducer(s.createQueue(queue)).send(s.createTextMessage(body));
    }

    @Test
    void aMessageThatFailsMaxDeliveryCountTimesMovesToItsDeadLetterQueueWithTheReason() throws Exception {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        send(session, "dl.poison", "poison");
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch thrice = new CountDownLatch(3);
        Session listening = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer failing = listening.createConsumer(listening.createQueue("dl.poison"));
        failing.setMessageListener(m -> {
            attempts.incrementAndGet();
            thrice.countDown();
            throw new IllegalArgumentException("cannot process it"); // AUTO_ACKNOWLEDGE: abandon
        });

        MessageConsumer dlq = session.createConsumer(session.createQueue("DLQ.dl.poison"));
        Message dead = dlq.receive(10_000);
        assertThat(thrice.await(1, TimeUnit.SECONDS)).isTrue();
        failing.close();

        assertThat(attempts.get()).isEqualTo(3);
        assertThat(((TextMessage) dead).getText()).isEqualTo("poison");
        assertThat(dead.getStringProperty("JMS_TMQ_DeadLetterReason")).contains("MaxDeliveryCountExceeded");
        assertThat(dead.getStringProperty("JMS_TMQ_OriginalDestination")).isEqualTo("dl.poison");
        assertThat(dead.getIntProperty("JMS_TMQ_DeliveryCount")).isEqualTo(3);
        assertThat(dead.getJMSDestination()).isEqualTo(session.createQueue("DLQ.dl.poison"));
        assertThat(broker.queueDepth("dl.poison")).isZero();
    }

    @Test
    void deadLetterRecordsTheApplicationsReason() throws Exception {
        Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        send(session, "dl.reason", "unparseable");
        Message m = session.createConsumer(session.createQueue("dl.reason")).receive(5_000);
        ((LockedMessage) m).deadLetter("no schema for it");

        Message dead = session.createConsumer(session.createQueue("DLQ.dl.reason")).receive(5_000);
        assertThat(dead.getStringProperty("JMS_TMQ_DeadLetterReason")).isEqualTo("no schema for it");
        assertThat(dead.getStringProperty("JMS_TMQ_OriginalDestination")).isEqualTo("dl.reason");
        assertThat(dead.getIntProperty("JMS_TMQ_DeliveryCount")).isEqualTo(1);
        dead.acknowledge();
    }

    @Test
    void redeliveryWaitsTheConfiguredBackoffGrowingWithEachFailure() throws Exception {
        Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        send(session, "dl.slow", "retry me");
        MessageConsumer consumer = session.createConsumer(session.createQueue("dl.slow"));
        LockedMessage first = (LockedMessage) consumer.receive(5_000);

        long abandoned = System.nanoTime();
        first.abandon();
        Message second = consumer.receive(10_000);
        long firstWait = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - abandoned);
        assertThat(second.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);

        abandoned = System.nanoTime();
        ((LockedMessage) second).abandon();
        Message third = consumer.receive(10_000);
        long secondWait = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - abandoned);
        assertThat(third.getIntProperty("JMSXDeliveryCount")).isEqualTo(3);
        third.acknowledge();

        // 300 ms, then 600 ms; the broker's timer ticks every 10 ms, the upper bound only rules out "never"
        assertThat(firstWait).isBetween(280L, 5_000L);
        assertThat(secondWait).isBetween(580L, 5_000L);
    }

    @Test
    void aReleasedMessageIsNotDelayed() throws Exception {
        Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        send(session, "dl.slow", "released");
        // a consumer that closes with the message still buffered releases it: no backoff, count unchanged
        Connection prefetching = new TunnelConnectionFactory(broker.url() + "?prefetch=5").createConnection();
        try {
            Session s = prefetching.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer buffering = s.createConsumer(s.createQueue("dl.slow"));
            prefetching.start();
            waitUntilLocked("dl.slow");
            buffering.close();
        } finally {
            prefetching.close();
        }
        long released = System.nanoTime();
        Message m = session.createConsumer(session.createQueue("dl.slow")).receive(5_000);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released)).isLessThan(280L);
        assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        assertThat(m.getJMSRedelivered()).isFalse();
    }

    private void waitUntilLocked(String queue) throws InterruptedException {
        eventually("the message was delivered", Duration.ofSeconds(5), () -> broker.queueStats(queue).locked() > 0);
    }
}
