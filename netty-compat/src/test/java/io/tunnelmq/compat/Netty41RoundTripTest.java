package io.tunnelmq.compat;

import io.tunnelmq.jms.TunnelConnection;
import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.TunnelConnectionListener;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A broker and a client on Netty 4.1: the paths every application takes, and a reconnect after a network cut. */
@Timeout(60)
class Netty41RoundTripTest {
    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void sendsAndReceivesAThousandMessages() {
        try (JMSContext context = new TunnelConnectionFactory(broker.url()).createContext()) {
            Queue queue = context.createQueue("netty41.roundtrip");
            for (int i = 0; i < 1000; i++) {
                context.createProducer().send(queue, "m" + i);
            }
            try (JMSConsumer consumer = context.createConsumer(queue)) {
                for (int i = 0; i < 1000; i++) {
                    assertThat(consumer.receiveBody(String.class, 5000)).isEqualTo("m" + i);
                }
            }
        }
    }

    @Test
    void recoverRedeliversWithTheFlagSet() throws Exception {
        try (Connection connection = new TunnelConnectionFactory(broker.url()).createConnection()) {
            Session session = connection.createSession(Session.CLIENT_ACKNOWLEDGE);
            Queue queue = session.createQueue("netty41.recover");
            session.createProducer(queue).send(session.createTextMessage("once"));
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            Message first = consumer.receive(5000);
            assertThat(first.getJMSRedelivered()).isFalse();
            session.recover();
            Message again = consumer.receive(5000);
            assertThat(((TextMessage) again).getText()).isEqualTo("once");
            assertThat(again.getJMSRedelivered()).isTrue();
            again.acknowledge();
        }
        assertThat(broker.queueDepth("netty41.recover")).isZero();
    }

    @Test
    void aListenerKeepsReceivingAcrossANetworkCut() throws Exception {
        CountDownLatch restored = new CountDownLatch(1);
        TunnelConnectionFactory factory = new TunnelConnectionFactory(broker.url());
        try (Connection connection = factory.createConnection()) {
            ((TunnelConnection) connection).setConnectionListener(new TunnelConnectionListener() {
                @Override
                public void restored(String brokerAddress) {
                    restored.countDown();
                }
            });
            Session session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("netty41.cut");
            CountDownLatch received = new CountDownLatch(2);
            session.createConsumer(queue).setMessageListener(m -> received.countDown());
            connection.start();
            try (JMSContext sender = factory.createContext()) {
                sender.createProducer().send(queue, "before");
                broker.dropConnections();
                assertThat(restored.await(20, TimeUnit.SECONDS)).isTrue();
                sender.createProducer().send(queue, "after");
            }
            assertThat(received.await(20, TimeUnit.SECONDS)).isTrue();
        }
    }
}
