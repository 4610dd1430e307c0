package io.tunnelmq.jms.engine;

import io.tunnelmq.jms.engine.EngineTestSupport.RecordingEvents;
import io.tunnelmq.jms.engine.EngineTestSupport.RecordingListener;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.CloseConsumer;
import io.tunnelmq.protocol.frame.CloseSession;
import io.tunnelmq.protocol.frame.Commit;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Rollback;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.tunnelmq.jms.engine.EngineTestSupport.await;
import static io.tunnelmq.jms.engine.EngineTestSupport.connect;
import static io.tunnelmq.jms.engine.EngineTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** Sessions and request/answer on a connection. */
@Timeout(30)
class EngineSessionTest {
    private FakeBroker broker;
    private EngineConnection connection;
    private final RecordingEvents events = new RecordingEvents();

    @BeforeEach
    void start() throws Exception {
        broker = new FakeBroker();
    }

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            await(connection.close());
        }
        broker.close();
    }

    private void connect(String extra) throws Exception {
        connection = EngineTestSupport.connect(broker.options(extra), events);
        broker.next(Hello.class);
    }

    @Test
    void sessionsGetChannelsFromOneAndFreedChannelsAreReused() throws Exception {
        connect("");
        EngineSession s1 = await(connection.openSession(false, 1));
        OpenSession open1 = broker.next(OpenSession.class);
        EngineSession s2 = await(connection.openSession(true, 0));
        OpenSession open2 = broker.next(OpenSession.class);

        assertThat(s1.channel()).isEqualTo(1);
        assertThat(s2.channel()).isEqualTo(2);
        assertThat(open1.channel()).isEqualTo(1);
        assertThat(open1.transacted()).isFalse();
        assertThat(open1.ackMode()).isEqualTo(1);
        assertThat(open2.transacted()).isTrue();
        assertThat(open2.requestId()).as("request ids are connection-wide").isGreaterThan(open1.requestId());
        assertThat(open1.requestId()).isPositive();

        await(s1.close());
        assertThat(broker.next(CloseSession.class).channel()).isEqualTo(1);
        EngineSession s3 = await(connection.openSession(false, 1));
        assertThat(s3.channel()).as("channel 1 is free again").isEqualTo(1);
    }

    @Test
    void errorAnswerFailsTheRequestWithTheBrokersCodeAndMessage() throws Exception {
        broker.script(in -> in instanceof CreateConsumer c
                ? List.of(new ErrorFrame(c.channel(), c.requestId(), ErrorCode.INVALID_SELECTOR,
                "selector 'a >' is invalid at position 3: expected an operand"))
                : broker.defaultAnswer(in));
        connect("");
        EngineSession session = await(connection.openSession(false, 1));

        EngineException e = failure(session.createConsumer(
                ConsumerSpec.of(WireDestination.queue("q"), "a >", 10), new RecordingListener()));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SELECTOR);
        assertThat(e.getMessage()).isEqualTo("selector 'a >' is invalid at position 3: expected an operand");
        await(session.settle(LockOutcome.COMPLETE, new long[] {1}, null, true)); // the session goes on
    }

    @Test
    void aConsumerWhoseCreationTimedOutIsClosedOnTheBroker() throws Exception {
        broker.script(in -> in instanceof CreateConsumer ? List.of() : broker.defaultAnswer(in));
        connect("requestTimeout=300");
        EngineSession session = await(connection.openSession(false, 1));

        EngineException e = failure(session.createConsumer(ConsumerSpec.of(WireDestination.queue("q"), null, 10),
                new RecordingListener()));

        assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
        CreateConsumer create = broker.await(CreateConsumer.class);
        CloseConsumer close = broker.await(CloseConsumer.class);
        assertThat(close.consumerId()).as("the broker may yet make it: closed there").isEqualTo(create.consumerId());
        await(session.settle(LockOutcome.COMPLETE, new long[] {1}, null, true)); // the session goes on
    }

    @Test
    void unansweredRequestTimesOutAndALateAnswerIsIgnored() throws Exception {
        broker.script(in -> in instanceof Commit ? List.of() : broker.defaultAnswer(in));
        connect("requestTimeout=300");
        EngineSession session = await(connection.openSession(true, 0));
        long start = System.nanoTime();

        EngineException e = failure(session.commit());

        assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(e.getMessage()).isEqualTo("Commit on session 1 got no answer from the broker at 127.0.0.1:"
                + broker.port() + " within 300 ms");
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250);
        Commit commit = broker.await(Commit.class);
        broker.send(new Ok(1, commit.requestId(), 100));
        await(session.rollback()); // the late Ok was ignored and the connection works
        assertThat(connection.isClosed()).isFalse();
    }

    @Test
    void settleWithoutReplyUsesRequestIdZeroAndCompletesWhenWritten() throws Exception {
        broker.script(in -> in instanceof Settle ? List.of() : broker.defaultAnswer(in));
        connect("");
        EngineSession session = await(connection.openSession(false, 1));

        await(session.settle(LockOutcome.COMPLETE, new long[] {5, 6}, null, false));

        Settle settle = broker.await(Settle.class);
        assertThat(settle.requestId()).isZero();
        assertThat(settle.outcome()).isEqualTo(SettleOutcome.COMPLETE);
        assertThat(settle.lockTokens()).containsExactly(5, 6);
    }

    @Test
    void settleAwaitingReplyFailsWithTheBrokersError() throws Exception {
        broker.script(in -> in instanceof Settle s
                ? List.of(new ErrorFrame(s.channel(), s.requestId(), ErrorCode.UNKNOWN_LOCK_TOKEN, "lock 9 is not held"))
                : broker.defaultAnswer(in));
        connect("");
        EngineSession session = await(connection.openSession(false, 1));

        EngineException e = failure(session.settle(LockOutcome.DEAD_LETTER, new long[] {9}, "poison", true));

        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_LOCK_TOKEN);
        Settle settle = broker.await(Settle.class);
        assertThat(settle.requestId()).isPositive();
        assertThat(settle.reason()).isEqualTo("poison");
    }

    @Test
    void commitAndRollbackAreAnswered() throws Exception {
        connect("");
        EngineSession session = await(connection.openSession(true, 0));
        await(session.commit());
        assertThat(broker.await(Commit.class).channel()).isEqualTo(1);
        await(session.rollback());
        assertThat(broker.await(Rollback.class).channel()).isEqualTo(1);
    }

    @Test
    void commitOnANonTransactedSessionFailsWithoutBotheringTheBroker() throws Exception {
        connect("");
        EngineSession session = await(connection.openSession(false, 1));
        EngineException e = failure(session.commit());
        assertThat(e.code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
        assertThat(e.getMessage()).contains("not transacted");
    }

    @Test
    void sessionCloseIsIdempotentAndLaterOperationsFail() throws Exception {
        connect("");
        EngineSession session = await(connection.openSession(false, 1));
        broker.next(OpenSession.class);

        CompletableFuture<Void> first = session.close();
        CompletableFuture<Void> second = session.close();
        await(first);

        assertThat(second).isSameAs(first);
        broker.next(CloseSession.class);
        EngineException e = failure(session.settle(LockOutcome.COMPLETE, new long[] {1}, null, true));
        assertThat(e.code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
        assertThat(e.getMessage()).isEqualTo("session 1 is closed");
        assertThat(failure(session.send(EngineTestSupport.message("q", 1)).confirmed()).code())
                .isEqualTo(ErrorCode.ILLEGAL_STATE);
        // only one CloseSession went out: the next frame is the one below
        await(connection.openSession(false, 1));
        assertThat(broker.next()).isInstanceOf(OpenSession.class);
    }

    @Test
    void brokerEndingASessionFailsItsRequestsAndClosesItsConsumersOnly() throws Exception {
        broker.script(in -> in instanceof Commit ? List.of() : broker.defaultAnswer(in));
        connect("");
        EngineSession doomed = await(connection.openSession(true, 0));
        EngineSession other = await(connection.openSession(false, 1));
        RecordingListener doomedListener = new RecordingListener();
        RecordingListener otherListener = new RecordingListener();
        await(doomed.createConsumer(ConsumerSpec.of(WireDestination.queue("a"), null, 5), doomedListener));
        await(other.createConsumer(ConsumerSpec.of(WireDestination.queue("b"), null, 5), otherListener));
        CompletableFuture<Void> commit = doomed.commit();
        broker.await(Commit.class);

        broker.send(new ErrorFrame(doomed.channel(), 0, ErrorCode.STORE_FAILURE, "disk full"));

        EngineException e = failure(commit);
        assertThat(e.code()).isEqualTo(ErrorCode.STORE_FAILURE);
        assertThat(e.getMessage()).contains("disk full");
        assertThat(doomedListener.awaitClosed().code()).isEqualTo(ErrorCode.STORE_FAILURE);
        EngineException later = failure(doomed.rollback());
        assertThat(later.code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
        assertThat(later.getMessage()).contains("the broker ended it").contains("disk full");
        await(doomed.close()); // nothing left to close: completes at once

        await(other.settle(LockOutcome.COMPLETE, new long[] {1}, null, true));
        assertThat(otherListener.closes).isEmpty();
        assertThat(events.failures).isEmpty();
        assertThat(await(connection.openSession(false, 1)).channel()).as("the ended session's channel is free")
                .isEqualTo(doomed.channel());
    }

    @Test
    void sessionOpenRefusedByTheBrokerFreesTheChannel() throws Exception {
        broker.script(in -> in instanceof OpenSession o && o.channel() == 1 && o.transacted()
                ? List.of((Frame) new ErrorFrame(1, o.requestId(), ErrorCode.NOT_AUTHORIZED, "no transactions for you"))
                : broker.defaultAnswer(in));
        connect("");
        assertThat(failure(connection.openSession(true, 0)).code()).isEqualTo(ErrorCode.NOT_AUTHORIZED);
        assertThat(await(connection.openSession(false, 1)).channel()).isEqualTo(1);
    }
}
