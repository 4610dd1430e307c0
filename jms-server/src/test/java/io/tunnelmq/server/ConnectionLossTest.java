package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.CloseSession;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Disconnect;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Heartbeat;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.Messages.id;
import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions and connections that end — closed, disconnected, crashed, silent, misbehaving — give back their
 * locks at once, and nobody else notices.
 */
@Timeout(30)
class ConnectionLossTest {
    private static final WireDestination JOBS = WireDestination.queue("jobs");

    private EmbeddedBroker broker;
    private TestClient observer;
    private int observerSession;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config());
        observer = TestClient.open(broker);
        observerSession = observer.openSession(false);
        observer.sendMessage(observerSession, text(JOBS, "job"));
    }

    @AfterEach
    void stop() throws Exception {
        observer.close();
        broker.close();
    }

    /** A client whose application took the job (Settle TAKEN) and holds its lock. */
    private TestClient holder() throws Exception {
        TestClient holder = TestClient.open(broker);
        int s = holder.openSession(false);
        holder.createConsumer(s, 1, JOBS, 1);
        Deliver d = holder.awaitDelivery(s, 1);
        assertThat(d.deliveryCount()).isEqualTo(1);
        holder.settle(s, SettleOutcome.TAKEN, d.lockToken()); // with a request id: answered Ok once applied
        return holder;
    }

    /** The observer starts consuming and must get the job again, abandoned once. */
    private void observerGetsTheJobRedelivered() throws Exception {
        observer.createConsumer(observerSession, 9, JOBS, 1);
        Deliver again = observer.awaitDelivery(observerSession, 9);
        assertThat(id(again)).isEqualTo("job");
        assertThat(again.deliveryCount()).isEqualTo(2);
    }

    @Test
    void closingASessionAbandonsItsLocks() throws Exception {
        try (TestClient holder = holder()) {
            long id = holder.nextRequestId();
            holder.request(new CloseSession(1, id), id);
            observerGetsTheJobRedelivered();
        }
    }

    @Test
    void disconnectAbandonsLocksAnswersOkAndClosesTheSocket() throws Exception {
        try (TestClient holder = holder()) {
            long id = holder.nextRequestId();
            holder.send(new Disconnect(id));
            Ok ok = holder.await(Ok.class, o -> o.requestId() == id);
            assertThat(ok.channel()).isEqualTo(Protocol.CONTROL_CHANNEL);
            assertThat(holder.awaitClosed(TestClient.WAIT)).isTrue();
            observerGetsTheJobRedelivered();
        }
    }

    @Test
    void aCrashedClientsLocksAreAbandoned() throws Exception {
        TestClient holder = holder();
        holder.abort();
        observerGetsTheJobRedelivered();
    }

    @Test
    void droppedConnectionsLoseTheirLocksAndTheClientNotices() throws Exception {
        try (TestClient holder = holder()) {
            broker.dropConnections();
            assertThat(holder.awaitClosed(TestClient.WAIT)).isTrue();
            eventually("every connection gone", () -> broker.connectionCount() == 0);
            TestClient reconnected = TestClient.open(broker);
            try {
                int s = reconnected.openSession(false);
                reconnected.createConsumer(s, 1, JOBS, 1);
                assertThat(reconnected.awaitDelivery(s, 1).deliveryCount()).isEqualTo(2);
            } finally {
                reconnected.close();
            }
        }
    }

    @Test
    void aSilentClientIsDroppedAfterThreeHeartbeatIntervals() throws Exception {
        try (TestClient silent = TestClient.connect(broker)) {
            assertThat(silent.hello(null, 100, Map.of()).heartbeatMillis()).isEqualTo(100);
            int s = silent.openSession(false);
            silent.createConsumer(s, 1, JOBS, 1);
            silent.settle(s, SettleOutcome.TAKEN, silent.awaitDelivery(s, 1).lockToken());

            // the broker keeps the line alive from its side, then gives up on us
            assertThat(silent.expect(Heartbeat.class)).isNotNull();
            ErrorFrame error = silent.await(ErrorFrame.class, e -> e.requestId() == 0);
            assertThat(error.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
            assertThat(error.message()).contains("300 ms");
            assertThat(silent.awaitClosed(TestClient.WAIT)).isTrue();
            observerGetsTheJobRedelivered();
        }
    }

    /**
     * The broker cannot know what a silent client handed out: a real one goes on handing out its buffer for two
     * intervals of silence, and its notices never arrive. So a delivery it never said it took counts as seen.
     */
    @Test
    void aSilentClientsUnseenLocksCountAsSeenWhenItIsDropped() throws Exception {
        try (TestClient silent = TestClient.connect(broker)) {
            silent.hello(null, 100, Map.of());
            int s = silent.openSession(false);
            silent.createConsumer(s, 1, JOBS, 1);
            silent.awaitDelivery(s, 1); // in its buffer; whether the application took it, the broker never hears

            assertThat(silent.await(ErrorFrame.class, e -> e.requestId() == 0).code())
                    .isEqualTo(ErrorCode.CONNECTION_FAILED);
            observerGetsTheJobRedelivered();
        }
    }

    /**
     * A connection that fell silent and then was reset (a middlebox that dropped it, a client that stalled and
     * crashed) is no different: the broker heard nothing for longer than a live client is ever quiet.
     */
    @Test
    void aClientResetAfterItFellSilentHasItsUnseenLocksCountedAsSeen() throws Exception {
        TestClient silent = TestClient.connect(broker);
        silent.hello(null, 1_000, Map.of());
        int s = silent.openSession(false);
        silent.createConsumer(s, 1, JOBS, 1);
        silent.awaitDelivery(s, 1); // in its buffer; the broker heard nothing more of it after the Credit

        // the broker beats on every other half-interval tick of a quiet line; the tick of its second beat since the
        // delivery is the third that read nothing: it takes the client for fallen silent from then on, and drops it
        // itself only three ticks later
        silent.await(Heartbeat.class, beat -> true);
        silent.await(Heartbeat.class, beat -> true);
        silent.abort();

        observerGetsTheJobRedelivered();
    }

    @Test
    void byDefaultADeadClientIsNoticedWithinTenSeconds() throws Exception {
        try (TestClient patient = TestClient.connect(broker)) {
            int agreed = patient.hello(null, 60_000, Map.of()).heartbeatMillis();
            assertThat(agreed).as("the interval a default broker agrees to").isPositive();
            assertThat(Protocol.MISSED_HEARTBEATS * agreed).isLessThanOrEqualTo(10_000);
        }
    }

    @Test
    void aCrashedClientsUnseenLocksAreReleasedWithTheirCountUnchanged() throws Exception {
        TestClient prefetcher = TestClient.open(broker);
        int s = prefetcher.openSession(false);
        prefetcher.createConsumer(s, 1, JOBS, 1);
        prefetcher.awaitDelivery(s, 1); // in its buffer, never handed to the application
        prefetcher.abort();

        observer.createConsumer(observerSession, 9, JOBS, 1);
        Deliver again = observer.awaitDelivery(observerSession, 9);
        assertThat(id(again)).isEqualTo("job");
        assertThat(again.deliveryCount()).isEqualTo(1);
    }

    @Test
    void aClientThatSendsHeartbeatsStaysConnected() throws Exception {
        try (TestClient lively = TestClient.connect(broker)) {
            lively.hello(null, 200, Map.of());
            int heartbeats = 0;
            // longer than the 600 ms after which a silent client is dropped
            long until = System.nanoTime() + Duration.ofMillis(1_000).toNanos();
            while (System.nanoTime() < until) {
                lively.expect(Heartbeat.class);
                heartbeats++;
                lively.send(Heartbeat.INSTANCE);
            }
            assertThat(heartbeats).isGreaterThan(2);
            assertThat(lively.openSession(false)).isPositive();
        }
    }

    @Test
    void aMalformedFrameClosesOnlyThatConnection() throws Exception {
        try (TestClient holder = holder(); TestClient bystander = TestClient.open(broker)) {
            int s = bystander.openSession(false);
            // a Credit frame whose body is four bytes short
            holder.sendRaw(new byte[]{0, 0, 0, 9, 22, 0, 0, 0, 1, 0, 0, 0, 1});

            ErrorFrame error = holder.await(ErrorFrame.class, e -> true);
            assertThat(error.channel()).isZero();
            assertThat(error.requestId()).isZero();
            assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            assertThat(holder.awaitClosed(TestClient.WAIT)).isTrue();

            bystander.sendMessage(s, text(WireDestination.queue("other"), "still fine"));
            observerGetsTheJobRedelivered();
        }
    }

    @Test
    void aStrangerSpeakingAnotherProtocolIsRefused() throws Exception {
        try (TestClient stranger = TestClient.connect(broker)) {
            stranger.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            ErrorFrame error = stranger.await(ErrorFrame.class, e -> true);
            assertThat(error.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(stranger.awaitClosed(TestClient.WAIT)).isTrue();
        }
        assertThat(observer.openSession(false)).isPositive();
    }
}
