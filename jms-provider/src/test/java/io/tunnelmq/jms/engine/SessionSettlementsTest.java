package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.frame.Frame;
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
        CompletableFuture<Void> first = session.settle(LockOutcome.COMPLETE, tokens, null, false);
        tokens[0] = 99; // the caller's array is copied before settle returns
        CompletableFuture<Void> second = session.settle(LockOutcome.COMPLETE, new long[] {2}, null, false);
        CompletableFuture<Void> third = session.settle(LockOutcome.COMPLETE, new long[] {3, 4}, null, false);
        assertThat(loop).as("one task for the three").hasSize(1);

        runLoop();

        assertThat(written()).singleElement().satisfies(settle -> {
            assertThat(settle.outcome()).isEqualTo(SettleOutcome.COMPLETE);
            assertThat(settle.lockTokens()).containsExactly(1, 2, 3, 4);
        });
        assertThat(List.of(first, second, third)).noneMatch(CompletableFuture::isDone); // until written
    }

    @Test
    void handOutNoticesRideWithTheCompletionsAndACompletionCancelsItsOwnNotice() {
        session.handedOut(5);
        session.settle(LockOutcome.COMPLETE, new long[] {5}, null, false); // a listener in AUTO_ACKNOWLEDGE
        session.handedOut(6);
        session.settle(LockOutcome.COMPLETE, new long[] {7}, null, false);
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
        assertThatThrownBy(() -> session.settle(LockOutcome.COMPLETE, new long[] {1}, null, false))
                .isInstanceOf(RejectedExecutionException.class);

        session.settle(LockOutcome.COMPLETE, new long[] {2}, null, false);
        assertThat(loop).as("a task of its own, not a place in the refused one").hasSize(1);
        runLoop();

        assertThat(written()).singleElement().satisfies(settle -> assertThat(settle.lockTokens()).containsExactly(2));
    }

    @Test
    void aCompletionAfterAnotherOperationGoesAfterIt() {
        session.settle(LockOutcome.COMPLETE, new long[] {1}, null, false);
        session.settle(LockOutcome.ABANDON, new long[] {2}, null, false);
        session.settle(LockOutcome.COMPLETE, new long[] {3}, null, false);
        assertThat(loop).as("the first completion's, the abandon's, and then the last completion's").hasSize(3);

        runLoop();

        assertThat(written()).extracting(Settle::outcome, s -> s.lockTokens()[0]).containsExactly(
                tuple(SettleOutcome.COMPLETE, 1L),
                tuple(SettleOutcome.ABANDON, 2L),
                tuple(SettleOutcome.COMPLETE, 3L));
    }
}
