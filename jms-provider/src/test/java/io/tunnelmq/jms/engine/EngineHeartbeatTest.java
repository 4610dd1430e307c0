package io.tunnelmq.jms.engine;

import io.tunnelmq.jms.engine.EngineTestSupport.RecordingEvents;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Commit;
import io.tunnelmq.protocol.frame.Heartbeat;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Welcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.tunnelmq.jms.Eventually.eventually;
import static io.tunnelmq.jms.engine.EngineTestSupport.await;
import static io.tunnelmq.jms.engine.EngineTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class EngineHeartbeatTest {
    private static final int INTERVAL = 100;

    private FakeBroker broker;
    private final RecordingEvents events = new RecordingEvents();

    @BeforeEach
    void start() throws Exception {
        broker = new FakeBroker();
        broker.welcome(new Welcome(Protocol.VERSION, "c", INTERVAL, FakeBroker.DEFAULT_WINDOW,
                Protocol.DEFAULT_MAX_FRAME_SIZE, "fake"));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void idleClientSendsHeartbeatsAndTheBrokersKeepItAlive() throws Exception {
        broker.script(in -> in instanceof Heartbeat ? List.of(Heartbeat.INSTANCE) : broker.defaultAnswer(in));
        EngineConnection c = EngineTestSupport.connect(broker.options("heartbeat=10000"), events);
        assertThat(broker.next(Hello.class).heartbeatMillis()).as("the client proposes its interval").isEqualTo(10_000);
        long start = System.nanoTime();

        for (int i = 0; i < 6; i++) {
            broker.await(Heartbeat.class);
        }

        // six heartbeats at the agreed 100 ms take longer than the 300 ms a silent peer is allowed
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(5L * INTERVAL - 50);
        assertThat(events.failures).isEmpty();
        assertThat(c.isClosed()).isFalse();
        await(c.close());
    }

    @Test
    void aBrokerSilentForTwoIntervalsIsQuietUntilItSpeaksAgain() throws Exception {
        int interval = 1_000; // a wide window between quiet (2 s) and dead (3 s) for a loaded machine
        broker.welcome(new Welcome(Protocol.VERSION, "c", interval, FakeBroker.DEFAULT_WINDOW,
                Protocol.DEFAULT_MAX_FRAME_SIZE, "fake"));
        broker.script(in -> in instanceof Heartbeat ? List.of() : broker.defaultAnswer(in));
        EngineConnection c = EngineTestSupport.connect(broker.options(""), events);
        long start = System.nanoTime();
        assertThat(c.brokerQuiet()).isFalse();

        eventually("quiet after two silent intervals", Duration.ofSeconds(5), c::brokerQuiet);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(2L * interval - 50);
        broker.send(Heartbeat.INSTANCE);

        eventually("heard again", Duration.ofSeconds(5), () -> events.heardAgain.get() == 1);
        assertThat(events.failures).isEmpty();
        await(c.close());
    }

    @Test
    void silentBrokerIsDetectedAfterThreeIntervals() throws Exception {
        broker.script(in -> in instanceof Heartbeat || in instanceof Commit ? List.of() : broker.defaultAnswer(in));
        EngineConnection c = EngineTestSupport.connect(broker.options(""), events);
        EngineSession tx = await(c.openSession(true, 0));
        long start = System.nanoTime();
        CompletableFuture<Void> commit = tx.commit();

        EngineException e = events.awaitFailure();

        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(3L * INTERVAL - 50);
        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.getMessage()).isEqualTo("no heartbeat from the broker at 127.0.0.1:" + broker.port() + " for "
                + 3 * INTERVAL + " ms");
        assertThat(failure(commit)).isSameAs(e);
        assertThat(broker.awaitClientGone()).isTrue();
        assertThat(events.failures).hasSize(1);
    }
}
