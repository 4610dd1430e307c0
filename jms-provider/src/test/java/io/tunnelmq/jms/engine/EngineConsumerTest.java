package io.tunnelmq.jms.engine;

import io.tunnelmq.jms.engine.EngineTestSupport.RecordingEvents;
import io.tunnelmq.jms.engine.EngineTestSupport.RecordingListener;
import io.tunnelmq.protocol.frame.CloseConsumer;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.Credit;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Revoke;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

import static io.tunnelmq.jms.engine.EngineTestSupport.await;
import static io.tunnelmq.jms.engine.EngineTestSupport.message;
import static org.assertj.core.api.Assertions.assertThat;

/** Consumers against a scripted broker: routing, credit, pull, close. */
@Timeout(30)
class EngineConsumerTest {
    private FakeBroker broker;
    private EngineConnection connection;
    private EngineSession session;
    private EngineSession other;
    private final RecordingEvents events = new RecordingEvents();

    @BeforeEach
    void start() throws Exception {
        broker = new FakeBroker();
        connection = EngineTestSupport.connect(broker.options(""), events);
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

    private static ConsumerSpec spec(String queue, int prefetch) {
        return ConsumerSpec.of(WireDestination.queue(queue), null, prefetch);
    }

    private static Deliver deliver(EngineSession s, int consumerId, long token, WireMessage m) {
        return new Deliver(s.channel(), consumerId, token, 1, 1_700_000_000_000L, m);
    }

    /** A fire-and-forget settle on the other session, to show what was (not) written before it. */
    private void marker(long token) throws Exception {
        await(other.settle(LockOutcome.COMPLETE, new long[] {token}, null, false));
    }

    private void expectMarker(long token) throws Exception {
        Settle settle = broker.next(Settle.class);
        assertThat(settle.channel()).isEqualTo(other.channel());
        assertThat(settle.lockTokens()).containsExactly(token);
    }

    @Test
    void fireAndForgetCompletionsAreGatheredInOrderAndWrittenBeforeTheSessionsNextOperation() throws Exception {
        int count = 200;
        for (long token = 1; token <= count; token++) {
            session.completeUnanswered(new long[] {token});
        }
        CompletableFuture<Void> release =
                session.settle(LockOutcome.RELEASE, new long[] {999}, null, false);
        await(release); // written after the completions

        List<Long> completed = new ArrayList<>();
        int frames = 0;
        while (completed.size() < count) {
            Settle settle = broker.next(Settle.class);
            assertThat(settle.outcome()).as("every completion comes before the release").isEqualTo(SettleOutcome.COMPLETE);
            assertThat(settle.requestId()).isZero();
            for (long t : settle.lockTokens()) {
                completed.add(t);
            }
            frames++;
        }
        assertThat(completed).isEqualTo(LongStream.rangeClosed(1, count).boxed().toList());
        assertThat(frames).isLessThanOrEqualTo(count);
        assertThat(broker.next(Settle.class).outcome()).isEqualTo(SettleOutcome.RELEASE);
    }

    @Test
    void createConsumerSendsTheSpecAndThePrefetchAsCredit() throws Exception {
        ConsumerSpec spec = new ConsumerSpec(WireDestination.topic("news"), "prio > 3", true, "sub-1", true, false, 25);
        EngineConsumer consumer = await(session.createConsumer(spec, new RecordingListener()));

        CreateConsumer create = broker.next(CreateConsumer.class);
        assertThat(create.channel()).isEqualTo(session.channel());
        assertThat(create.consumerId()).isEqualTo(consumer.consumerId()).isPositive();
        assertThat(create.destination()).isEqualTo(WireDestination.topic("news"));
        assertThat(create.selector()).isEqualTo("prio > 3");
        assertThat(create.noLocal()).isTrue();
        assertThat(create.subscriptionName()).isEqualTo("sub-1");
        assertThat(create.durable()).isTrue();
        assertThat(create.shared()).isFalse();
        assertThat(create.credit()).isEqualTo(25);
    }

    @Test
    void aConsumerReopenedAfterALossNamesTheMessagesItsApplicationSawAndAFirstOneNamesNone() throws Exception {
        await(session.createConsumer(spec("q", 5), new RecordingListener()));
        assertThat(broker.next(CreateConsumer.class).seenMessageIds()).isEmpty();

        await(session.createConsumer(spec("q", 5).withSeenMessageIds(List.of("ID:a-1", "ID:a-2")),
                new RecordingListener()));

        assertThat(broker.next(CreateConsumer.class).seenMessageIds()).containsExactly("ID:a-1", "ID:a-2");
    }

    @Test
    void deliveriesGoToTheRightListener() throws Exception {
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        RecordingListener c = new RecordingListener();
        EngineConsumer ca = await(session.createConsumer(spec("a", 10), a));
        EngineConsumer cb = await(session.createConsumer(spec("b", 10), b));
        EngineConsumer cc = await(other.createConsumer(spec("c", 10), c));
        assertThat(cb.consumerId()).isNotEqualTo(ca.consumerId());
        WireMessage ma = message("a", 1);
        WireMessage mb = message("b", 2);
        WireMessage mc = message("c", 3);

        broker.send(deliver(other, cc.consumerId(), 30, mc), deliver(session, cb.consumerId(), 20, mb),
                new Deliver(session.channel(), ca.consumerId(), 10, 3, 1234L, ma));

        Delivery da = a.next();
        assertThat(da.consumerId()).isEqualTo(ca.consumerId());
        assertThat(da.lockToken()).isEqualTo(10);
        assertThat(da.deliveryCount()).isEqualTo(3);
        assertThat(da.lockedUntil()).isEqualTo(1234L);
        assertThat(da.message()).isEqualTo(ma);
        assertThat(b.next().message()).isEqualTo(mb);
        assertThat(c.next().message()).isEqualTo(mc);
        assertThat(a.deliveries).isEmpty();
        assertThat(b.deliveries).isEmpty();
    }

    @Test
    void deliveriesThatArriveBeforeTheBrokersOkAreNotLost() throws Exception {
        WireMessage early = message("early", 5);
        broker.script(in -> in instanceof CreateConsumer cc
                ? List.of((Frame) new Deliver(cc.channel(), cc.consumerId(), 77, 1, 0, early), broker.ok(cc, cc.requestId()))
                : broker.defaultAnswer(in));
        RecordingListener listener = new RecordingListener();

        await(session.createConsumer(spec("q", 10), listener));

        assertThat(listener.next().lockToken()).isEqualTo(77);
    }

    @Test
    void creditIsToppedUpOnceHalfThePrefetchIsTaken() throws Exception {
        EngineConsumer consumer = await(session.createConsumer(spec("q", 10), new RecordingListener()));
        broker.next(CreateConsumer.class);

        consumer.taken(3, 0);
        consumer.taken(1, 0);
        marker(1);
        expectMarker(1); // four taken: no credit yet

        consumer.taken(1, 0);
        Credit credit = broker.next(Credit.class);
        assertThat(credit.channel()).isEqualTo(session.channel());
        assertThat(credit.consumerId()).isEqualTo(consumer.consumerId());
        assertThat(credit.messages()).isEqualTo(5);

        consumer.taken(7, 0);
        assertThat(broker.next(Credit.class).messages()).isEqualTo(7);
    }

    @Test
    void pullAsksForOneMessageWhenThereIsNoPrefetch() throws Exception {
        EngineConsumer consumer = await(session.createConsumer(spec("q", 0), new RecordingListener()));
        assertThat(broker.next(CreateConsumer.class).credit()).isZero();

        consumer.pull();
        Credit credit = broker.next(Credit.class);
        assertThat(credit.messages()).isEqualTo(1);
        assertThat(credit.consumerId()).isEqualTo(consumer.consumerId());

        consumer.taken(1, 0); // pulled messages are not paid back with credit
        marker(2);
        expectMarker(2);
    }

    @Test
    void pullWithPrefetchGrantsNothingExtra() throws Exception {
        EngineConsumer consumer = await(session.createConsumer(spec("q", 4), new RecordingListener()));
        broker.next(CreateConsumer.class);
        consumer.pull();
        marker(3);
        expectMarker(3);
    }

    @Test
    void closeReleasesTheUnseenMessagesThenClosesTheConsumer() throws Exception {
        EngineConsumer consumer = await(session.createConsumer(spec("q", 10), new RecordingListener()));
        broker.next(CreateConsumer.class);

        CompletableFuture<Void> closed = consumer.close(new long[] {7, 8});
        CompletableFuture<Void> again = consumer.close(new long[] {9});
        await(closed);

        assertThat(again).isSameAs(closed);
        Settle release = broker.next(Settle.class);
        assertThat(release.outcome()).isEqualTo(SettleOutcome.RELEASE);
        assertThat(release.lockTokens()).containsExactly(7, 8);
        assertThat(release.requestId()).isPositive();
        CloseConsumer close = broker.next(CloseConsumer.class);
        assertThat(close.consumerId()).isEqualTo(consumer.consumerId());
        marker(4);
        expectMarker(4); // closing twice sent nothing more
    }

    @Test
    void closeWithNothingUnseenOnlyClosesAndStopsCredit() throws Exception {
        EngineConsumer consumer = await(session.createConsumer(spec("q", 2), new RecordingListener()));
        broker.next(CreateConsumer.class);

        await(consumer.close(new long[0]));
        assertThat(broker.next(CloseConsumer.class).consumerId()).isEqualTo(consumer.consumerId());

        consumer.taken(5, 0);
        marker(5);
        expectMarker(5); // no credit for a closed consumer
    }

    @Test
    void deliveriesForAClosingConsumerAreReleasedNotDelivered() throws Exception {
        broker.script(in -> in instanceof CloseConsumer ? List.of() : broker.defaultAnswer(in));
        RecordingListener listener = new RecordingListener();
        EngineConsumer consumer = await(session.createConsumer(spec("q", 10), listener));
        broker.next(CreateConsumer.class);
        CompletableFuture<Void> closed = consumer.close(new long[0]);
        CloseConsumer close = broker.next(CloseConsumer.class);

        broker.send(deliver(session, consumer.consumerId(), 55, message("q", 1)));

        Settle release = broker.next(Settle.class);
        assertThat(release.outcome()).isEqualTo(SettleOutcome.RELEASE);
        assertThat(release.lockTokens()).containsExactly(55);
        assertThat(release.requestId()).isZero();
        assertThat(closed).isNotDone();
        broker.send(broker.ok(close, close.requestId()));
        await(closed);
        assertThat(listener.deliveries).isEmpty();
        assertThat(listener.closes).as("the application closed it: no onClosed").isEmpty();
    }

    @Test
    void deliveriesForAnUnknownConsumerAreReleased() throws Exception {
        broker.send(deliver(session, 99, 66, message("q", 1)));
        Settle release = broker.next(Settle.class);
        assertThat(release.channel()).isEqualTo(session.channel());
        assertThat(release.outcome()).isEqualTo(SettleOutcome.RELEASE);
        assertThat(release.lockTokens()).containsExactly(66);
    }

    @Test
    void revokeReleasesWhatTheFacadeGivesBackAndOwesItsCreditUntilTheApplicationWaits() throws Exception {
        RecordingListener listener = new RecordingListener() {
            @Override
            public Released onRevoke(long[] lockTokens) {
                return new Released(new long[] {lockTokens[1]}, 700); // the application took the first one
            }
        };
        EngineConsumer consumer = await(session.createConsumer(
                new ConsumerSpec(WireDestination.queue("q"), null, false, null, false, false, 2, 1000), listener));
        assertThat(broker.next(CreateConsumer.class).creditBytes()).isEqualTo(1000);

        broker.send(new Revoke(session.channel(), consumer.consumerId(), new long[] {11, 12}));

        Settle release = broker.next(Settle.class);
        assertThat(release.channel()).isEqualTo(session.channel());
        assertThat(release.outcome()).isEqualTo(SettleOutcome.RELEASE);
        assertThat(release.lockTokens()).containsExactly(12);
        assertThat(release.requestId()).as("fire-and-forget").isZero();
        marker(5);
        expectMarker(5); // declined: no credit yet, or the broker would hand the message straight back

        consumer.waiting();
        Credit credit = broker.next(Credit.class);
        assertThat(credit.isWaiting()).isTrue();
        assertThat(credit.isSet()).isFalse();
        assertThat(credit.messages()).as("the released message's credit, owed").isEqualTo(1);
        assertThat(credit.bytes()).isEqualTo(700);

        consumer.waiting(); // told once: nothing more until it declines again
        marker(6);
        expectMarker(6);
    }

    @Test
    void revokeOfMessagesTheApplicationTookSendsNothing() throws Exception {
        EngineConsumer consumer = await(session.createConsumer(spec("q", 10), new RecordingListener()));
        broker.next(CreateConsumer.class);

        broker.send(new Revoke(session.channel(), consumer.consumerId(), new long[] {1, 2}));
        broker.send(new Revoke(session.channel(), 99, new long[] {3})); // unknown consumer: ignored
        marker(6);

        expectMarker(6);
        assertThat(connection.isClosed()).isFalse();
        assertThat(events.failures).isEmpty();
    }

    @Test
    void byteCreditIsGrantedOnceHalfThePrefetchBytesIsTaken() throws Exception {
        EngineConsumer consumer = await(session.createConsumer(
                new ConsumerSpec(WireDestination.queue("q"), null, false, null, false, false, 100, 10_000),
                new RecordingListener()));
        CreateConsumer create = broker.next(CreateConsumer.class);
        assertThat(create.credit()).isEqualTo(100);
        assertThat(create.creditBytes()).isEqualTo(10_000);

        consumer.taken(1, 3000);
        marker(7);
        expectMarker(7);
        consumer.taken(1, 2000);

        Credit credit = broker.next(Credit.class);
        assertThat(credit.messages()).isEqualTo(2);
        assertThat(credit.bytes()).isEqualTo(5000);
    }

    @Test
    void aPullConsumerHasNoByteLimit() throws Exception {
        await(session.createConsumer(
                new ConsumerSpec(WireDestination.queue("q"), null, false, null, false, false, 0, 10_000),
                new RecordingListener()));
        CreateConsumer create = broker.next(CreateConsumer.class);
        assertThat(create.credit()).isZero();
        assertThat(create.creditBytes()).isZero();
    }
}
