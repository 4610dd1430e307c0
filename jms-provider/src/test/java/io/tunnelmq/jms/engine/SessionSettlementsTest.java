package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.ArgumentCaptor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** How a session's settlements reach its event loop: the tasks they submit, and the frames those write. */
@Timeout(30) // the first Mockito inline mock of a JVM can take seconds on a loaded machine
class SessionSettlementsTest {
    private final TunnelClientConnection connection = mock(TunnelClientConnection.class);
    /** The tasks submitted to the event loop, not yet run. */
    private final List<Runnable> loop = new ArrayList<>();
    private ClientSession session;

    @BeforeEach
    void setUp() {
        doAnswer(call -> loop.add(call.getArgument(0))).when(connection).execute(any());
        session = new ClientSession(connection, 1, false);
    }

    private void runLoop() {
        while (!loop.isEmpty()) {
            loop.remove(0).run();
        }
    }

    private List<Settle> written() {
        ArgumentCaptor<Frame> frames = ArgumentCaptor.forClass(Frame.class);
        verify(connection, atLeastOnce()).writeOneWay(frames.capture(), any());
        return frames.getAllValues().stream().filter(Settle.class::isInstance).map(Settle.class::cast).toList();
    }

    @Test
    void completionsHandedOverWhileTheLoopIsBusyTakeOneTaskAndOneFrame() {
        long[] tokens = {1};
        session.completeUnanswered(tokens);
        tokens[0] = 99; // the caller's array is copied before completeUnanswered returns
        session.completeUnanswered(new long[] {2});
        session.completeUnanswered(new long[] {3, 4});
        assertThat(loop).as("one task for the three").hasSize(1);

        runLoop();

        assertThat(written()).singleElement().satisfies(settle -> {
            assertThat(settle.outcome()).isEqualTo(SettleOutcome.COMPLETE);
            assertThat(settle.lockTokens()).containsExactly(1, 2, 3, 4);
        });
        assertThat(session.takeFailedCompletions()).isNull();
    }

    @Test
    void completionsTheSessionCanNoLongerSendAreReportedAsFailed() {
        session.close();
        runLoop();
        session.completeUnanswered(new long[] {4, 5});
        runLoop();

        EngineException failed = session.takeFailedCompletions();
        assertThat(failed.lockTokens()).containsExactly(4, 5);
        assertThat(failed.getMessage()).isEqualTo("completing 2 message(s) on session 1 failed: session 1 is closed");
        assertThat(session.takeFailedCompletions()).as("taken once").isNull();
    }

    @Test
    void completionsWhoseSettleCannotBeWrittenAreReportedAsFailed() {
        doAnswer(call -> {
            CompletableFuture<Void> written = call.getArgument(1);
            written.completeExceptionally(new EngineException(ErrorCode.CONNECTION_FAILED,
                    "the connection to the broker is lost"));
            return null;
        }).when(connection).writeOneWay(any(Settle.class), any());
        session.completeUnanswered(new long[] {1});
        session.completeUnanswered(new long[] {2});
        runLoop();

        EngineException failed = session.takeFailedCompletions();
        assertThat(failed.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(failed.lockTokens()).containsExactly(1, 2);
    }

    @Test
    void handOutNoticesRideWithTheCompletionsAndACompletionCancelsItsOwnNotice() {
        session.handedOut(5);
        session.completeUnanswered(new long[] {5}); // a listener in AUTO_ACKNOWLEDGE
        session.handedOut(6);
        session.completeUnanswered(new long[] {7});
        assertThat(loop).as("one task for the four").hasSize(1);

        runLoop();

        assertThat(written()).extracting(Settle::outcome, Settle::lockTokens).containsExactly(
                tuple(SettleOutcome.TAKEN, new long[] {6}),
                tuple(SettleOutcome.COMPLETE, new long[] {5, 7}));
    }

    @Test
    void aTaskTheLoopRefusedLeavesNoBatchBehindForLaterCompletions() {
        doThrow(new RejectedExecutionException("event loop shut down"))
                .doAnswer(call -> loop.add(call.getArgument(0))).when(connection).execute(any());
        assertThatThrownBy(() -> session.completeUnanswered(new long[] {1}))
                .isInstanceOf(RejectedExecutionException.class);

        session.completeUnanswered(new long[] {2});
        assertThat(loop).as("a task of its own, not a place in the refused one").hasSize(1);
        runLoop();

        assertThat(written()).singleElement().satisfies(settle -> assertThat(settle.lockTokens()).containsExactly(2));
    }

    @Test
    void unansweredSendsRideWithTheCompletionsAndKeepTheirPlaceAmongTheSessionsOperations() {
        when(connection.unansweredSends()).thenReturn(true);
        when(connection.sends()).thenReturn(new SendScheduler(new SendWindow(1 << 20), null, 1_000, "broker"));
        List<String> told = new ArrayList<>();
        session.sendUnanswered(EngineTestSupport.message("a", 10), listener("a", told));
        session.completeUnanswered(new long[] {1});
        session.sendUnanswered(EngineTestSupport.message("b", 10), listener("b", told));
        session.settle(LockOutcome.ABANDON, new long[] {2}, null, false);
        session.sendUnanswered(EngineTestSupport.message("c", 10), listener("c", told));
        assertThat(loop).as("a, the completion and b; the abandon; c").hasSize(3);

        runLoop();

        ArgumentCaptor<Frame> sends = ArgumentCaptor.forClass(Frame.class);
        verify(connection, atLeastOnce()).writeOneWay(sends.capture());
        assertThat(sends.getAllValues()).map(f -> ((Send) f).message().destination().name())
                .containsExactly("a", "b", "c");
        assertThat(told).containsExactly("a written", "a confirmed", "b written", "b confirmed", "c written",
                "c confirmed");
    }

    private static SendListener listener(String name, List<String> told) {
        return new SendListener() {
            @Override
            public void onWritten() {
                told.add(name + " written");
            }

            @Override
            public void onConfirmed() {
                told.add(name + " confirmed");
            }

            @Override
            public void onFailed(EngineException cause) {
                told.add(name + " failed " + cause.getMessage());
            }
        };
    }

    @Test
    void aCompletionAfterAnotherOperationGoesAfterIt() {
        session.completeUnanswered(new long[] {1});
        session.settle(LockOutcome.ABANDON, new long[] {2}, null, false);
        session.completeUnanswered(new long[] {3});
        assertThat(loop).as("the first completion's, the abandon's, and then the last completion's").hasSize(3);

        runLoop();

        assertThat(written()).extracting(Settle::outcome, s -> s.lockTokens()[0]).containsExactly(
                tuple(SettleOutcome.COMPLETE, 1L),
                tuple(SettleOutcome.ABANDON, 2L),
                tuple(SettleOutcome.COMPLETE, 3L));
    }
}
