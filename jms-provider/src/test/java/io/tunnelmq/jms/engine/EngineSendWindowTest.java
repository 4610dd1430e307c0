package io.tunnelmq.jms.engine;

import io.tunnelmq.jms.engine.EngineTestSupport.RecordingEvents;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.frame.WindowUpdate;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.tunnelmq.jms.engine.EngineTestSupport.await;
import static io.tunnelmq.jms.engine.EngineTestSupport.failure;
import static io.tunnelmq.jms.engine.EngineTestSupport.message;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The send window against a scripted broker. "Was not written" is shown without waiting for nothing to
 * happen: a marker frame from another session follows, and the broker receives the marker first.
 */
@Timeout(30)
class EngineSendWindowTest {
    private static final WireMessage M = message("q", 100);
    private static final int SIZE = M.sizeEstimate();

    private FakeBroker broker;
    private EngineConnection connection;
    private EngineSession s1;
    private EngineSession s2;

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

    private void connect(long window, String extra) throws Exception {
        broker.welcome(new Welcome(Protocol.VERSION, "c", 0, window, Protocol.DEFAULT_MAX_FRAME_SIZE, "fake"));
        connection = EngineTestSupport.connect(broker.options(extra), new RecordingEvents());
        s1 = await(connection.openSession(false, 1));
        s2 = await(connection.openSession(false, 1));
        broker.next(Hello.class);
        broker.next(OpenSession.class);
        broker.next(OpenSession.class);
    }

    /** A fire-and-forget settle on session 2: never held by session 1's sends. */
    private void marker(long token) throws Exception {
        await(s2.settle(LockOutcome.COMPLETE, new long[] {token}, null, false));
    }

    private void expectMarker(long token) throws Exception {
        Settle settle = broker.next(Settle.class);
        assertThat(settle.channel()).isEqualTo(s2.channel());
        assertThat(settle.lockTokens()).containsExactly(token);
    }

    /** Sends one message that the broker acknowledges with free = 0: window spent, nothing in flight. */
    private void spendWindow() throws Exception {
        broker.freeBytes(0);
        await(s1.send(M).confirmed());
        broker.next(Send.class);
    }

    @Test
    void sendsStopWhenTheWindowIsSpentAndResumeOnOk() throws Exception {
        broker.script(in -> in instanceof Send ? List.of() : broker.defaultAnswer(in));
        connect(3L * SIZE, "");

        SendTicket t1 = s1.send(M);
        SendTicket t2 = s1.send(M);
        SendTicket t3 = s1.send(M);
        SendTicket t4 = s1.send(M);
        marker(1);

        Send first = broker.next(Send.class);
        broker.next(Send.class);
        broker.next(Send.class);
        expectMarker(1);
        await(t3.written());
        assertThat(t4.written()).as("the fourth send waits for window").isNotDone();
        assertThat(t1.confirmed()).isNotDone();

        broker.send(new Ok(first.channel(), first.requestId(), 3L * SIZE));

        await(t1.confirmed());
        assertThat(broker.next(Send.class).requestId()).isGreaterThan(first.requestId());
        await(t4.written());
        assertThat(t2.confirmed()).as("no Ok yet").isNotDone();
    }

    @Test
    void windowSpentWithNothingInFlightResumesOnWindowUpdate() throws Exception {
        connect(1000, "");
        spendWindow();

        SendTicket waiting = s1.send(M);
        marker(2);
        expectMarker(2);
        assertThat(waiting.written()).isNotDone();

        broker.send(new WindowUpdate(1000));

        await(waiting.written());
        assertThat(broker.next(Send.class).message()).isEqualTo(M);
    }

    @Test
    void sendStillWaitingAfterTheSendTimeoutFailsAndIsNeverWritten() throws Exception {
        connect(1000, "sendTimeout=300");
        spendWindow();
        long start = System.nanoTime();

        SendTicket doomed = s1.send(message("doomed", 10));
        EngineException e = failure(doomed.confirmed());

        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250);
        assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(e.getMessage()).isEqualTo("send window spent for 300 ms: the broker at 127.0.0.1:" + broker.port()
                + " is full or slow (0 bytes free, 0 bytes in flight)");
        assertThat(failure(doomed.written()).code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);

        broker.send(new WindowUpdate(1000));
        await(s1.send(message("next", 10)).written());
        assertThat(broker.next(Send.class).message().destination().name()).as("the timed-out send never went")
                .isEqualTo("next");
    }

    @Test
    void aSendWhoseAnswerIsGivenUpBeforeItIsWrittenStaysCountedInTheWindow() throws Exception {
        connect(64L << 20, "requestTimeout=300");
        broker.pauseReading(); // larger than the sockets' buffers: it stays in the client's outbound buffer
        WireMessage big = message("big", 15 << 20);

        SendTicket ticket = s1.send(big);

        assertThat(failure(ticket.confirmed()).code()).isEqualTo(ErrorCode.TIMEOUT);
        SendWindow window = onLoop(c -> c.sends().window());
        long inFlight = onLoop(c -> window.inFlight());
        String counts = onLoop(c -> window.toString());
        assertThat(inFlight).as("the broker reads it once it reads again").isEqualTo(big.sizeEstimate());
        assertThat(counts).contains("answered in flight 0");
        broker.resumeReading();
        assertThat(broker.next(Send.class).message().destination().name()).isEqualTo("big");
    }

    private <T> T onLoop(java.util.function.Function<TunnelClientConnection, T> read) throws Exception {
        TunnelClientConnection c = (TunnelClientConnection) connection;
        CompletableFuture<T> value = new CompletableFuture<>();
        c.execute(() -> value.complete(read.apply(c)));
        return await(value);
    }

    @Test
    void waitingSendsAreWrittenInCallOrderAcrossSessions() throws Exception {
        connect(1000, "");
        spendWindow();

        SendTicket a = s1.send(message("a", 10));
        SendTicket b = s2.send(message("b", 10));
        SendTicket c = s1.send(message("c", 10));
        broker.send(new WindowUpdate(1000));

        await(c.written());
        assertThat(a.written()).isDone();
        assertThat(b.written()).isDone();
        assertThat(broker.next(Send.class).message().destination().name()).isEqualTo("a");
        assertThat(broker.next(Send.class).message().destination().name()).isEqualTo("b");
        assertThat(broker.next(Send.class).message().destination().name()).isEqualTo("c");
    }

    @Test
    void aSessionsOperationsWaitBehindItsWaitingSendButOtherSessionsFlow() throws Exception {
        connect(1000, "");
        spendWindow();

        SendTicket send = s1.send(M);
        CompletableFuture<Void> heldSettle = s1.settle(LockOutcome.COMPLETE, new long[] {11}, null, false);
        CompletableFuture<Void> heldCommitLike = s1.settle(LockOutcome.ABANDON, new long[] {12}, null, true);
        marker(3);

        expectMarker(3);
        assertThat(heldSettle).as("session 1's settle waits behind its send").isNotDone();
        assertThat(heldCommitLike).isNotDone();

        broker.send(new WindowUpdate(1000));

        await(heldCommitLike);
        assertThat(send.written()).isDone();
        assertThat(heldSettle).isDone();
        assertThat(broker.next()).isInstanceOf(Send.class);
        assertThat(broker.next(Settle.class).lockTokens()).containsExactly(11);
        assertThat(broker.next(Settle.class).lockTokens()).containsExactly(12);
    }

    @Test
    void operationsBehindATimedOutSendGoWhenItGivesUp() throws Exception {
        connect(1000, "sendTimeout=300");
        spendWindow();

        SendTicket doomed = s1.send(M);
        CompletableFuture<Void> settle = s1.settle(LockOutcome.COMPLETE, new long[] {21}, null, true);

        assertThat(failure(doomed.confirmed()).code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        await(settle);
        assertThat(broker.next(Settle.class).lockTokens()).containsExactly(21);
    }

    @Test
    void aMessageLargerThanTheWholeWindowGoesWhenNothingIsInFlight() throws Exception {
        connect(1000, "");
        WireMessage big = message("big", 5000);

        await(s1.send(big).confirmed());

        assertThat(broker.next(Send.class).message()).isEqualTo(big);
    }

    @Test
    void aMessageOverTheBrokersFrameLimitFailsAndFreesItsWindow() throws Exception {
        broker.welcome(new Welcome(Protocol.VERSION, "c", 0, 100_000, 2048, "fake"));
        connection = EngineTestSupport.connect(broker.options(""), new RecordingEvents());
        s1 = await(connection.openSession(false, 1));

        SendTicket tooBig = s1.send(message("big", 4096));

        EngineException e = failure(tooBig.confirmed());
        assertThat(e.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
        assertThat(e.getMessage()).contains("2048 bytes").contains("queue://big");
        assertThat(failure(tooBig.written()).code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
        await(s1.send(message("small", 10)).confirmed());
        assertThat(broker.await(Send.class).message().destination().name()).isEqualTo("small");
        assertThat(connection.isClosed()).isFalse();
    }

    @Test
    void brokerRefusingASendFailsOnlyItsConfirmation() throws Exception {
        broker.script(in -> in instanceof Send s
                ? List.of(new ErrorFrame(s.channel(), s.requestId(), ErrorCode.INVALID_DESTINATION, "queue 'q' is a topic"))
                : broker.defaultAnswer(in));
        connect(1000, "");

        SendTicket ticket = s1.send(M);

        EngineException e = failure(ticket.confirmed());
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DESTINATION);
        assertThat(ticket.written()).isCompleted();
    }

    @Test
    void waitingSendsFailWhenTheConnectionIsClosed() throws Exception {
        connect(1000, "");
        spendWindow();
        SendTicket waiting = s1.send(M);
        marker(4);
        expectMarker(4);

        await(connection.close());

        EngineException e = failure(waiting.confirmed());
        assertThat(e.code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
        assertThat(e.getMessage()).isEqualTo("connection is closed");
        connection = null;
    }
}
