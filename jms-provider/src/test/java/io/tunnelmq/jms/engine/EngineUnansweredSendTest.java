package io.tunnelmq.jms.engine;

import io.tunnelmq.jms.engine.EngineTestSupport.RecordingEvents;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.SendFailed;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.frame.WindowUpdate;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static io.tunnelmq.jms.engine.EngineTestSupport.await;
import static io.tunnelmq.jms.engine.EngineTestSupport.message;
import static org.assertj.core.api.Assertions.assertThat;

/** Non-persistent sends the broker does not answer, against a scripted broker that takes them. */
@Timeout(30)
class EngineUnansweredSendTest {
    private static final WireMessage M = message("q", 100);
    private static final int SIZE = M.sizeEstimate();

    private FakeBroker broker;
    private EngineConnection connection;

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

    private EngineSession connect(long window, boolean brokerTakesThem, boolean transacted) throws Exception {
        broker.welcome(new Welcome(Protocol.VERSION, "c", 0, window, Protocol.DEFAULT_MAX_FRAME_SIZE, "fake", 0L,
                List.of(), null, false, brokerTakesThem));
        connection = EngineTestSupport.connect(broker.options(""), new RecordingEvents());
        EngineSession session = await(connection.openSession(transacted, transacted ? 0 : 1));
        broker.next(Hello.class);
        broker.next(OpenSession.class);
        return session;
    }

    /** An unanswered send whose outcome a ticket records (written and confirmed one future, as the engine tells it). */
    private static SendTicket unanswered(EngineSession session, WireMessage message) {
        SendTicket ticket = SendTicket.open();
        session.sendUnanswered(message, ticket);
        return ticket;
    }

    @Test
    void aSendIsDoneOnceWrittenAndTheWindowReopensWhenAWindowUpdateNamesIt() throws Exception {
        EngineSession s = connect(3L * SIZE, true, false);

        await(unanswered(s, M).confirmed());
        await(unanswered(s, M).confirmed());
        await(unanswered(s, M).confirmed());
        SendTicket fourth = unanswered(s, M);
        for (int i = 0; i < 3; i++) {
            assertThat(broker.next(Send.class).requestId()).isEqualTo(Protocol.NO_REPLY);
        }
        // a fire-and-forget settle on another session is not held by the waiting send: once the broker has it,
        // the fourth send would have come before it
        EngineSession other = await(connection.openSession(false, 1));
        broker.next(OpenSession.class);
        await(other.settle(LockOutcome.COMPLETE, new long[] {7}, null, false));
        assertThat(broker.next(Settle.class).lockTokens()).containsExactly(7);
        assertThat(fourth.written()).as("the window is spent until the broker names the sends").isNotDone();

        broker.send(new WindowUpdate(3L * SIZE, null, 2L * SIZE)); // two of three read; room for three more
        await(fourth.confirmed());
        assertThat(broker.next(Send.class).requestId()).isEqualTo(Protocol.NO_REPLY);
    }

    @Test
    void oneOverTheBrokersFrameLimitFailsAtOnceAndTheSessionSendsOn() throws Exception {
        broker.welcome(new Welcome(Protocol.VERSION, "c", 0, 100_000, 2048, "fake", 0L, List.of(), null, false, true));
        connection = EngineTestSupport.connect(broker.options(""), new RecordingEvents());
        EngineSession s = await(connection.openSession(false, 1));

        SendTicket tooBig = unanswered(s, message("big", 4096));

        // written counts from the encoding into the connection, so a frame that cannot be encoded fails its ticket
        EngineException e = EngineTestSupport.failure(tooBig.confirmed());
        assertThat(e.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
        assertThat(e.getMessage()).contains("2048 bytes");
        await(unanswered(s, message("small", 10)).confirmed());
        assertThat(broker.await(Send.class).message().destination().name()).isEqualTo("small");
        assertThat(connection.isClosed()).isFalse();
    }

    @Test
    void aRefusalIsKeptForTheSessionsNextSend() throws Exception {
        EngineSession s = connect(1 << 20, true, false);
        await(unanswered(s, M).confirmed());
        Send sent = broker.next(Send.class);

        roundTrip(s, new SendFailed(sent.channel(), ErrorCode.NOT_AUTHORIZED, "ID:m-1", "user 'bob' may not send"));

        EngineException taken = s.takeFailedSends();
        assertThat(taken.code()).isEqualTo(ErrorCode.NOT_AUTHORIZED);
        assertThat(taken.getMessage()).isEqualTo("an earlier non-persistent send of this session (ID:m-1) was"
                + " refused: user 'bob' may not send");
        assertThat(s.takeFailedSends()).as("taken once").isNull();
    }

    @Test
    void laterRefusalsMergeIntoTheFirst() throws Exception {
        EngineSession s = connect(1 << 20, true, false);
        await(unanswered(s, M).confirmed());
        Send sent = broker.next(Send.class);
        roundTrip(s, new SendFailed(sent.channel(), ErrorCode.NOT_AUTHORIZED, null, "no"),
                new SendFailed(sent.channel(), ErrorCode.INVALID_DESTINATION, null, "not a queue"));

        EngineException taken = s.takeFailedSends();
        assertThat(taken.code()).as("the first one's").isEqualTo(ErrorCode.NOT_AUTHORIZED);
        assertThat(taken.getMessage()).isEqualTo("an earlier non-persistent send of this session (a message without"
                + " JMSMessageID) was refused: no; later unanswered sends of the session failed too");
    }

    /** The broker answers an answered send with {@code before} and then Ok: once it is confirmed, they were read. */
    private void roundTrip(EngineSession s, Frame... before) throws Exception {
        broker.script(in -> {
            if (in instanceof Send send && send.requestId() != Protocol.NO_REPLY) {
                List<Frame> answer = new ArrayList<>(List.of(before));
                answer.add(broker.ok(send, send.requestId()));
                return answer;
            }
            return broker.defaultAnswer(in);
        });
        await(s.send(M).confirmed());
        broker.next(Send.class);
    }

    @Test
    void aBrokerThatDoesNotTakeThemAnswersEverySend() throws Exception {
        EngineSession s = connect(1 << 20, false, false);
        await(unanswered(s, M).confirmed());
        assertThat(broker.next(Send.class).requestId()).isPositive();
    }

    @Test
    void aTransactedSessionsSendsAreAlwaysAnswered() throws Exception {
        EngineSession s = connect(1 << 20, true, true);
        await(unanswered(s, M).confirmed());
        assertThat(broker.next(Send.class).requestId()).as("a refusal must doom the commit").isPositive();
    }
}
