package io.tunnelmq.jms.engine;

import io.tunnelmq.jms.engine.EngineTestSupport.RecordingEvents;
import io.tunnelmq.jms.engine.EngineTestSupport.RecordingListener;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.LocksRenewed;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static io.tunnelmq.jms.Eventually.eventually;
import static io.tunnelmq.jms.engine.EngineTestSupport.await;
import static io.tunnelmq.jms.engine.EngineTestSupport.message;
import static org.assertj.core.api.Assertions.assertThat;

/** Lock tracking and renewal against a scripted broker whose clock runs ten seconds ahead of the client's. */
@Timeout(30)
class EngineLockRenewalTest {
    private static final long BROKER_AHEAD = 10_000;
    /** Covers the time between the broker stamping its Welcome and the client reading it. */
    private static final long MARGIN = 200;

    private FakeBroker broker;
    private EngineConnection connection;

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            await(connection.close());
        }
        broker.close();
    }

    /** Connects with the broker's clock ahead; RENEW is answered with the broker-clock times {@code renewTo}. */
    private EngineSession open(String options, long... renewTo) throws Exception {
        broker = new FakeBroker();
        broker.welcome(new Welcome(Protocol.VERSION, "conn-1", 0, FakeBroker.DEFAULT_WINDOW,
                Protocol.DEFAULT_MAX_FRAME_SIZE, "fake", System.currentTimeMillis() + BROKER_AHEAD));
        broker.script(in -> {
            if (in instanceof Settle s && s.outcome() == SettleOutcome.RENEW) {
                long[] answer = Arrays.copyOf(renewTo, s.lockTokens().length);
                return List.<Frame>of(new LocksRenewed(s.channel(), s.requestId(), 1_000_000, answer));
            }
            return broker.defaultAnswer(in);
        });
        connection = EngineTestSupport.connect(broker.options(options), new RecordingEvents());
        return await(connection.openSession(false, 2));
    }

    private static long brokerNow() {
        return System.currentTimeMillis() + BROKER_AHEAD;
    }

    private Delivery deliver(EngineSession session, RecordingListener listener, long token, long lockedUntil)
            throws Exception {
        broker.send(new Deliver(session.channel(), 1, token, 1, lockedUntil, message("q", 10)));
        return listener.next();
    }

    @Test
    void lockTimesAreOnTheClientsClockAndARenewalAnswersExactly() throws Exception {
        EngineSession session = open("maxLockRenewal=0", 0, 0);
        RecordingListener listener = new RecordingListener();
        await(session.createConsumer(ConsumerSpec.of(WireDestination.queue("q"), null, 10), listener));

        long local = System.currentTimeMillis();
        Delivery d = deliver(session, listener, 7, brokerNow() + 60_000);
        assertThat(d.lockedUntil()).isBetween(local + 60_000 - MARGIN, local + 60_000 + MARGIN);
        assertThat(session.lockedUntil(7)).isEqualTo(d.lockedUntil());
        assertThat(session.lockedUntil(8)).as("never delivered").isZero();

        assertThat(await(session.renewLocks(new long[] {7, 99}))).as("answered 0: lost").containsExactly(0, 0);
        assertThat(session.lockedUntil(7)).as("a lock answered 0 is dropped").isZero();
    }

    @Test
    void heldLocksAreRenewedAutomaticallyInOneRenewPerRoundAndSettledOnesAreNot() throws Exception {
        long renewedTo = brokerNow() + 120_000;
        EngineSession session = open("", renewedTo, renewedTo);
        RecordingListener listener = new RecordingListener();
        await(session.createConsumer(ConsumerSpec.of(WireDestination.queue("q"), null, 10), listener));

        // 1500 ms locks: due for renewal when less than 500 ms are left
        deliver(session, listener, 1, brokerNow() + 1_500);
        deliver(session, listener, 2, brokerNow() + 1_500);
        deliver(session, listener, 3, brokerNow() + 1_500);
        await(session.settle(LockOutcome.COMPLETE, new long[] {2}, null, true));
        assertThat(session.lockedUntil(2)).as("settled").isZero();

        // on a slow machine the held locks may fall due in different rounds; each is renewed, the settled one never
        java.util.Set<Long> renewed = new java.util.HashSet<>();
        while (!renewed.containsAll(java.util.List.of(1L, 3L))) {
            Settle renew = broker.await(Settle.class);
            if (renew.outcome() == SettleOutcome.RENEW) {
                for (long token : renew.lockTokens()) {
                    assertThat(token).as("a settled lock is not renewed").isNotEqualTo(2L);
                    renewed.add(token);
                }
            }
        }
        long expected = renewedTo - BROKER_AHEAD;
        eventually("both renewals applied", Duration.ofSeconds(5),
                () -> session.lockedUntil(1) >= expected - MARGIN && session.lockedUntil(3) >= expected - MARGIN);
        assertThat(session.lockedUntil(1)).isBetween(expected - MARGIN, expected + MARGIN);
        assertThat(session.lockedUntil(3)).isBetween(expected - MARGIN, expected + MARGIN);
    }

    @Test
    void closingTheSessionForgetsEveryLock() throws Exception {
        EngineSession session = open("");
        RecordingListener listener = new RecordingListener();
        await(session.createConsumer(ConsumerSpec.of(WireDestination.queue("q"), null, 10), listener));
        deliver(session, listener, 5, brokerNow() + 60_000);
        assertThat(session.lockedUntil(5)).isPositive();

        await(session.close());

        assertThat(session.lockedUntil(5)).isZero();
        assertThat(EngineTestSupport.failure(session.renewLocks(new long[] {5})).getMessage()).contains("closed");
    }
}
