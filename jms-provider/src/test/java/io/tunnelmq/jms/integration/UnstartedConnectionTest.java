package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** A consumer of a connection that is not started takes nothing from its competitors. */
@Timeout(60)
class UnstartedConnectionTest {
    private static final long WAIT = 5_000;

    private EmbeddedBroker broker;
    private TunnelConnectionFactory factory;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        factory = new TunnelConnectionFactory(broker.url());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void anUnstartedConsumerLeavesEveryMessageToAStartedCompetitorUntilItStarts() throws Exception {
        try (Connection idle = factory.createConnection(); Connection busy = factory.createConnection()) {
            Session idleSession = idle.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = idleSession.createQueue("competing");
            MessageConsumer idleConsumer = idleSession.createConsumer(queue);

            busy.start();
            Session busySession = busy.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer busyConsumer = busySession.createConsumer(queue);
            MessageProducer producer = busySession.createProducer(queue);
            for (int i = 0; i < 10; i++) {
                producer.send(busySession.createTextMessage("m" + i));
            }
            for (int i = 0; i < 10; i++) {
                TextMessage m = (TextMessage) busyConsumer.receive(WAIT);
                assertThat(m).as("message %d", i).isNotNull();
                assertThat(m.getText()).isEqualTo("m" + i);
            }
            busyConsumer.close();

            producer.send(busySession.createTextMessage("for the idle one"));
            idle.start();
            TextMessage m = (TextMessage) idleConsumer.receive(WAIT);
            assertThat(m.getText()).isEqualTo("for the idle one");
        }
        assertThat(broker.queueDepth("competing")).isZero();
    }

    @Test
    void aConsumerCreatedWhileStartedGetsMessagesAtOnce() throws Exception {
        try (Connection c = factory.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = s.createQueue("started");
            MessageConsumer consumer = s.createConsumer(queue);
            s.createProducer(queue).send(s.createTextMessage("x"));
            assertThat(((TextMessage) consumer.receive(WAIT)).getText()).isEqualTo("x");
        }
    }
}
