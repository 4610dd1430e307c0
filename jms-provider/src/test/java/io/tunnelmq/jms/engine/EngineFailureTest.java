package io.tunnelmq.jms.engine;

import io.netty.buffer.Unpooled;
import io.tunnelmq.jms.engine.EngineTestSupport.RecordingEvents;
import io.tunnelmq.jms.engine.EngineTestSupport.RecordingListener;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Commit;
import io.tunnelmq.protocol.frame.Disconnect;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.tunnelmq.jms.engine.EngineTestSupport.await;
import static io.tunnelmq.jms.engine.EngineTestSupport.failure;
import static io.tunnelmq.jms.engine.EngineTestSupport.message;
import static org.assertj.core.api.Assertions.assertThat;

/** How a connection ends: failures the broker or the network cause, and the application's close. */
@Timeout(30)
class EngineFailureTest {
    private FakeBroker broker;
    private final RecordingEvents events = new RecordingEvents();

    @BeforeEach
    void start() throws Exception {
        broker = new FakeBroker();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private EngineConnection connect(String extra) throws Exception {
        return EngineTestSupport.connect(broker.options(extra), events);
    }

    @Test
    void brokerClosingTheSocketFailsEverythingThenTellsTheFacadeOnce() throws Exception {
        broker.script(in -> in instanceof Commit ? List.of() : broker.defaultAnswer(in));
        broker.welcome(new Welcome(Protocol.VERSION, "c", 0, 1000, Protocol.DEFAULT_MAX_FRAME_SIZE, "fake"));
        List<String> order = new CopyOnWriteArrayList<>();
        RecordingListener listener = new RecordingListener() {
            @Override
            public void onClosed(EngineException cause) {
                order.add("onClosed");
                super.onClosed(cause);
            }
        };
        EngineConnection c = EngineTestSupport.connect(broker.options(""), cause -> {
            order.add("connectionFailed");
            events.connectionFailed(cause);
        });
        EngineSession tx = await(c.openSession(true, 0));
        EngineSession plain = await(c.openSession(false, 1));
        await(plain.createConsumer(ConsumerSpec.of(WireDestination.queue("q"), null, 10), listener));
        broker.freeBytes(0);
        await(plain.send(message("q", 10)).confirmed()); // window spent
        SendTicket waiting = plain.send(message("q", 10));
        CompletableFuture<Void> commit = tx.commit();
        broker.await(Commit.class);
        order.clear();
        commit.whenComplete((v, t) -> order.add("commit failed"));
        waiting.confirmed().whenComplete((v, t) -> order.add("waiting send failed"));

        broker.dropClient();

        EngineException reported = events.awaitFailure();
        assertThat(reported.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(reported.getMessage()).isEqualTo("the broker at 127.0.0.1:" + broker.port() + " closed the connection");
        assertThat(failure(commit)).isSameAs(reported);
        assertThat(failure(waiting.written())).isSameAs(reported);
        assertThat(failure(waiting.confirmed())).isSameAs(reported);
        assertThat(listener.awaitClosed()).isSameAs(reported);
        assertThat(order).containsExactly("commit failed", "waiting send failed", "onClosed", "connectionFailed");
        assertThat(c.isClosed()).isTrue();

        EngineException later = failure(c.openSession(false, 1));
        assertThat(later.code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
        assertThat(later.getMessage()).startsWith("connection is closed");
        assertThat(failure(plain.settle(LockOutcome.COMPLETE, new long[] {1}, null, false)).code())
                .isEqualTo(ErrorCode.ILLEGAL_STATE);
        await(tx.close()); // closing what is already gone succeeds
        await(c.close());
        assertThat(events.failures).as("reported exactly once").hasSize(1);
    }

    @Test
    void errorFrameOnChannelZeroEndsTheConnectionWithItsCode() throws Exception {
        broker.script(in -> in instanceof Commit ? List.of() : broker.defaultAnswer(in));
        EngineConnection c = connect("");
        EngineSession tx = await(c.openSession(true, 0));
        CompletableFuture<Void> commit = tx.commit();
        broker.await(Commit.class);

        broker.send(new ErrorFrame(0, 0, ErrorCode.SHUTTING_DOWN, "the broker is stopping"));

        EngineException e = events.awaitFailure();
        assertThat(e.code()).isEqualTo(ErrorCode.SHUTTING_DOWN);
        assertThat(e.getMessage()).contains("the broker is stopping").contains("127.0.0.1:" + broker.port());
        assertThat(failure(commit).code()).isEqualTo(ErrorCode.SHUTTING_DOWN);
        assertThat(broker.awaitClientGone()).isTrue();
    }

    @Test
    void malformedFrameFromTheBrokerFailsTheConnectionAndIsReported() throws Exception {
        EngineConnection c = connect("");
        broker.next(Hello.class);

        broker.sendRaw(Unpooled.buffer().writeInt(5).writeByte(200).writeInt(0));

        EngineException e = events.awaitFailure();
        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.getMessage()).contains("malformed").contains("unknown frame type 200");
        ErrorFrame told = broker.next(ErrorFrame.class);
        assertThat(told.code()).isEqualTo(ErrorCode.UNKNOWN_FRAME_TYPE);
        assertThat(told.requestId()).isZero();
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void aFrameOnlyAClientMaySendIsAProtocolViolation() throws Exception {
        connect("");
        broker.next(Hello.class);

        broker.send(new Hello(1, null, null, null, 0, null));

        EngineException e = events.awaitFailure();
        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.getMessage()).contains("unexpected HELLO");
        assertThat(broker.next(ErrorFrame.class).code()).isEqualTo(ErrorCode.PROTOCOL_VIOLATION);
    }

    @Test
    void connectionDroppedAfterASendFailsItsConfirmation() throws Exception {
        broker.dropAfterFrames(3); // Hello, OpenSession, Send
        EngineConnection c = connect("");
        EngineSession s = await(c.openSession(false, 1));

        SendTicket ticket = s.send(message("q", 10));

        assertThat(failure(ticket.confirmed()).code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(events.awaitFailure().code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
    }

    @Test
    void closeIsIdempotentSendsOneDisconnectAndNeverReportsAFailure() throws Exception {
        EngineConnection c = connect("");
        RecordingListener listener = new RecordingListener();
        EngineSession s = await(c.openSession(false, 1));
        await(s.createConsumer(ConsumerSpec.of(WireDestination.queue("q"), null, 10), listener));

        CompletableFuture<Void> first = c.close();
        CompletableFuture<Void> second = c.close();
        await(first);

        assertThat(second).isSameAs(first);
        assertThat(c.isClosed()).isTrue();
        assertThat(broker.await(Disconnect.class).requestId()).isPositive();
        assertThat(broker.awaitClientGone()).isTrue();
        assertThat(events.failures).isEmpty();
        assertThat(listener.closes).as("the application closed it: no onClosed").isEmpty();
        EngineException e = failure(c.openSession(false, 1));
        assertThat(e.code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
        assertThat(e.getMessage()).isEqualTo("connection is closed");
        assertThat(failure(s.send(message("q", 1)).written()).getMessage()).isEqualTo("connection is closed");
        await(s.close());
    }

    @Test
    void closeCompletesWhenTheBrokerNeverAnswersDisconnect() throws Exception {
        broker.script(in -> in instanceof Disconnect ? List.of() : broker.defaultAnswer(in));
        EngineConnection c = connect("requestTimeout=300");
        long start = System.nanoTime();

        await(c.close());

        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250);
        assertThat(broker.awaitClientGone()).isTrue();
        assertThat(events.failures).isEmpty();
    }

    @Test
    void closeCompletesWhenTheBrokerDropsTheConnectionInsteadOfAnswering() throws Exception {
        broker.script(in -> {
            if (in instanceof Disconnect) {
                broker.dropClient();
                return List.of();
            }
            return broker.defaultAnswer(in);
        });
        EngineConnection c = connect("");

        await(c.close());

        assertThat(events.failures).isEmpty();
    }

    @Test
    void closeFailsRequestsTheBrokerNeverAnswered() throws Exception {
        broker.script(in -> in instanceof Commit ? List.of() : broker.defaultAnswer(in));
        EngineConnection c = connect("");
        EngineSession tx = await(c.openSession(true, 0));
        CompletableFuture<Void> commit = tx.commit();
        broker.await(Commit.class);

        await(c.close());

        EngineException e = failure(commit);
        assertThat(e.code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
        assertThat(e.getMessage()).isEqualTo("connection is closed");
        assertThat(events.failures).isEmpty();
    }

    @Test
    void sendsWrittenBeforeCloseStillGetTheirAnswers() throws Exception {
        EngineConnection c = connect("");
        EngineSession s = await(c.openSession(false, 1));

        SendTicket ticket = s.send(message("q", 10));
        CompletableFuture<Void> closed = c.close();

        await(ticket.confirmed());
        await(closed);
        broker.await(Send.class);
        broker.next(Disconnect.class);
    }
}
