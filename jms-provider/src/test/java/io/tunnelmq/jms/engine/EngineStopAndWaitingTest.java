package io.tunnelmq.jms.engine;

import io.tunnelmq.jms.engine.EngineTestSupport.RecordingListener;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.Credit;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;

import static io.tunnelmq.jms.engine.EngineTestSupport.await;
import static io.tunnelmq.jms.engine.EngineTestSupport.message;
import static org.assertj.core.api.Assertions.assertThat;

/** Credit flags against a scripted broker: WAITING after declining, SET on stop and start; settle failures. */
@Timeout(30)
class EngineStopAndWaitingTest {
    private FakeBroker broker;
    private EngineConnection connection;
    private EngineSession session;
    private EngineSession other;

    @BeforeEach
    void start() throws Exception {
        broker = new FakeBroker();
        connection = EngineTestSupport.connect(broker.options(""), new EngineTestSupport.RecordingEvents());
        session = await(connection.openSession(false, 2));
        other = await(connection.openSession(false, 2));
        broker.next(Hello.class);
        broker.next(OpenSession.class);
        broker.next(OpenSession.class);
    }

    @AfterEach
    void stop() throws Exception {
        await(connection.close());
        broker.close();
    }

    private static ConsumerSpec spec(int prefetch, long prefetchBytes) {
        return new ConsumerSpec(WireDestination.queue("q"), null, false, null, false, false, prefetch, prefetchBytes);
    }

    private Deliver deliver(EngineConsumer c, long token) {
        return new Deliver(session.channel(), c.consumerId(), token, 1, System.currentTimeMillis() + 60_000,
                message("q", 10));
    }

    private void marker(long token) throws Exception {
        await(other.settle(LockOutcome.COMPLETE, new long[] {token}, null, false));
    }

    private void expectMarker(long token) throws Exception {
        Settle s = broker.next(Settle.class);
        assertThat(s.channel()).isEqualTo(other.channel());
        assertThat(s.lockTokens()).containsExactly(token);
    }

    @Test
    void waitingSaysNothingUnlessTheConsumerDeclined() throws Exception {
        EngineConsumer consumer = await(session.createConsumer(spec(10, 0), new RecordingListener()));
        broker.next(CreateConsumer.class);

        consumer.waiting();
        marker(1);
        expectMarker(1);
    }

    @Test
    void aLostLockMakesTheNextWaitSayWaitingOnceWithTheCreditOwed() throws Exception {
        EngineConsumer consumer = await(session.createConsumer(spec(10, 0), new RecordingListener()));
        broker.next(CreateConsumer.class);
        consumer.taken(1, 10); // the dropped message's credit, given back as the facade does: below the threshold
        consumer.declined();

        consumer.waiting();
        Credit waiting = broker.next(Credit.class);
        assertThat(waiting.isWaiting()).isTrue();
        assertThat(waiting.isSet()).isFalse();
        assertThat(waiting.messages()).isEqualTo(1);
        assertThat(waiting.bytes()).as("a consumer without byte limit owes no bytes").isZero();

        consumer.waiting();
        marker(2);
        expectMarker(2);
    }

    @Test
    void onlyAWaitingCreditClearsTheDeclinedFlag() throws Exception {
        EngineConsumer consumer = await(session.createConsumer(spec(2, 0), new RecordingListener()));
        broker.next(CreateConsumer.class);
        consumer.declined();
        consumer.taken(1, 10); // half the prefetch: granted at once

        Credit credit = broker.next(Credit.class);
        assertThat(credit.flags()).isZero();
        // the broker may decline the consumer only after that credit (a lock this client judged lost by its own
        // clock expires there a moment later): the application's wait still says WAITING, once
        consumer.waiting();
        assertThat(broker.next(Credit.class).isWaiting()).isTrue();
        consumer.waiting();
        marker(3);
        expectMarker(3);
    }

    @Test
    void stopSetsTheCreditToZeroThenReleasesTheBufferAndStartSetsThePrefetch() throws Exception {
        RecordingListener listener = new RecordingListener() {
            @Override
            public Released onStop() {
                return new Released(new long[] {21, 22}, 20);
            }
        };
        EngineConsumer consumer = await(session.createConsumer(spec(10, 5000), listener));
        broker.next(CreateConsumer.class);
        consumer.taken(3, 30); // credit owed so far is forgotten by the stop
        broker.script(in -> in instanceof Settle s && s.requestId() > 0 ? java.util.List.of() : broker.defaultAnswer(in));

        CompletableFuture<Void> stopped = consumer.stopDelivery();
        Credit zero = broker.next(Credit.class);
        assertThat(zero.isSet()).isTrue();
        assertThat(zero.messages()).isZero();
        assertThat(zero.bytes()).isZero();
        Settle release = broker.next(Settle.class);
        assertThat(release.outcome()).isEqualTo(SettleOutcome.RELEASE);
        assertThat(release.lockTokens()).containsExactly(21, 22);
        assertThat(stopped).as("waits for the broker to have them back").isNotDone();
        broker.send(broker.ok(release, release.requestId()));
        await(stopped);

        broker.send(deliver(consumer, 23)); // sent before the broker saw the stop
        Settle late = broker.next(Settle.class);
        assertThat(late.outcome()).isEqualTo(SettleOutcome.RELEASE);
        assertThat(late.lockTokens()).containsExactly(23);
        assertThat(listener.deliveries).isEmpty();
        consumer.taken(5, 50);
        consumer.waiting();

        consumer.startDelivery();
        Credit set = broker.next(Credit.class);
        assertThat(set.isSet()).isTrue();
        assertThat(set.messages()).isEqualTo(10);
        assertThat(set.bytes()).isEqualTo(5000);

        broker.send(deliver(consumer, 24));
        assertThat(listener.next().lockToken()).isEqualTo(24);
    }

    @Test
    void aConsumerOpenedStoppedGetsThePrefetchAsSetCreditOnStart() throws Exception {
        EngineConsumer consumer = await(session.createConsumer(spec(10, 5000), new RecordingListener(), true));
        CreateConsumer create = broker.next(CreateConsumer.class);
        assertThat(create.credit()).isZero();

        CompletableFuture<Void> stopped = consumer.stopDelivery();
        await(stopped); // already stopped: nothing to write
        consumer.startDelivery();
        Credit set = broker.next(Credit.class);
        assertThat(set.isSet()).isTrue();
        assertThat(set.messages()).isEqualTo(10);
        assertThat(set.bytes()).isEqualTo(5000);
    }

    @Test
    void aPullConsumerIsStoppedButPullsAgainItselfAfterStart() throws Exception {
        EngineConsumer consumer = await(session.createConsumer(spec(0, 0), new RecordingListener()));
        broker.next(CreateConsumer.class);
        consumer.pull();
        assertThat(broker.next(Credit.class).messages()).isEqualTo(1);

        await(consumer.stopDelivery());
        Credit zero = broker.next(Credit.class);
        assertThat(zero.isSet()).as("cancels the pull on its way").isTrue();
        assertThat(zero.messages()).isZero();
        Settle flush = broker.next(Settle.class);
        assertThat(flush.outcome()).as("an answered release, empty: what was on its way has arrived once answered")
                .isEqualTo(SettleOutcome.RELEASE);
        assertThat(flush.lockTokens()).isEmpty();
        consumer.startDelivery();
        marker(4);
        expectMarker(4); // no SET for a consumer without prefetch: it pulls when the application wants a message
    }

    @Test
    void aFailedSettleCarriesEveryTokenTheBrokerCouldNotSettle() throws Exception {
        broker.script(in -> {
            if (in instanceof Settle s && s.requestId() > 0) {
                return java.util.List.of(new ErrorFrame(s.channel(), s.requestId(), ErrorCode.LOCK_EXPIRED,
                        "lock 2 expired", new long[] {2, 4}));
            }
            return broker.defaultAnswer(in);
        });
        EngineException failure = EngineTestSupport.failure(
                session.settle(LockOutcome.COMPLETE, new long[] {1, 2, 3, 4}, null, true));
        assertThat(failure.code()).isEqualTo(ErrorCode.LOCK_EXPIRED);
        assertThat(failure.lockTokens()).containsExactly(2, 4);
    }
}
