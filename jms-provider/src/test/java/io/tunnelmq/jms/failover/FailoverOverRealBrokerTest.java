package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.engine.ConsumerSpec;
import io.tunnelmq.jms.engine.Delivery;
import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineOptions;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.jms.engine.Engines;
import io.tunnelmq.jms.engine.LockOutcome;
import io.tunnelmq.jms.engine.SendTicket;
import io.tunnelmq.jms.faults.Direction;
import io.tunnelmq.jms.faults.FaultProxy;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.tunnelmq.jms.Eventually.eventually;
import static io.tunnelmq.jms.failover.FailoverFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failover layer over the real engine and an in-JVM broker, the network cut by a {@link FaultProxy}: the engine
 * connection keeps working across the cut.
 */
@Timeout(60)
class FailoverOverRealBrokerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EmbeddedBroker broker;
    private FaultProxy proxy;
    private EngineConnection connection;
    private final FailoverFixture.Events events = new FailoverFixture.Events();

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        proxy = FaultProxy.start(broker.host(), broker.port());
        String address = "127.0.0.1:" + proxy.port();
        EngineOptions options = new EngineOptions("127.0.0.1", proxy.port(), null, null, null, 2_000, 5_000, 5_000,
                0, 0, Protocol.DEFAULT_MAX_FRAME_SIZE, 0);
        FailoverOptions failover = new FailoverOptions(List.of(address), false, 30_000, 50, 2.0, 500);
        connection = await(new FailoverEngineFactory(Engines.netty(), failover).connect(options, events));
    }

    @AfterEach
    void stop() {
        if (connection != null) {
            connection.close().join();
        }
        proxy.close();
        broker.close();
    }

    @Test
    void aPersistentSendWhoseConfirmationWasCutIsStoredExactlyOnce() throws Exception {
        EngineSession session = await(connection.openSession(false, Session.AUTO_ACKNOWLEDGE));
        proxy.stall(Direction.TO_CLIENT); // the broker stores the message; its confirmation never arrives

        SendTicket ticket = session.send(FakeEngine.message("ID:once", true), new ProducerStamp(UUID.randomUUID(), 1));
        eventually("the broker stored the message", WAIT, () -> broker.queueStats("q").depth() == 1);
        proxy.cut();
        proxy.resume();

        await(ticket.confirmed());
        assertThat(events.interrupted).hasSize(1);
        assertThat(events.restored).hasSize(1);
        assertThat(broker.queueStats("q").depth()).as("the resend was recognised").isEqualTo(1);
        assertThat(events.failed).isEmpty();
    }

    @Test
    void aConsumerGetsMessagesAfterTheCut() throws Exception {
        EngineSession session = await(connection.openSession(false, Session.CLIENT_ACKNOWLEDGE));
        FailoverFixture.Listener listener = new FailoverFixture.Listener();
        await(session.createConsumer(ConsumerSpec.of(WireDestination.queue("q"), null, 10), listener));
        send("before");
        eventually("the first message arrived", WAIT, () -> listener.deliveries.size() == 1);

        proxy.cut();
        eventually("restored", WAIT, () -> events.restored.size() == 1);
        assertThat(listener.interrupted.get()).isEqualTo(1);
        send("after");

        eventually("both messages arrive on the new link", WAIT, () -> listener.deliveries.stream()
                .filter(d -> d.lockToken() >>> 40 == 1).count() == 2);
        long[] tokens = listener.deliveries.stream().filter(d -> d.lockToken() >>> 40 == 1)
                .mapToLong(Delivery::lockToken).toArray();
        await(session.settle(LockOutcome.COMPLETE, tokens, null, true));
        eventually("both completed", WAIT, () -> broker.queueStats("q").depth() == 0);
        assertThat(events.failed).isEmpty();
    }

    /** A plain JMS producer connected straight to the broker. */
    private void send(String text) throws Exception {
        try (Connection c = new TunnelConnectionFactory(broker.url()).createConnection();
             Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer p = s.createProducer(s.createQueue("q"))) {
            p.send(s.createTextMessage(text));
        }
    }
}
