package io.tunnelmq.server.session;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.WindowUpdate;
import io.tunnelmq.server.destination.BrokerException;
import io.tunnelmq.server.queue.MemoryTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ReceiveWindowTest {
    private static final long BUFFER = 1_000;

    /** Records frames; runs event-loop tasks only when told. */
    private static final class FakeSink implements FrameSink {
        final List<Frame> sent = new ArrayList<>();
        final Deque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void send(Frame frame) {
            sent.add(frame);
        }

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runTasks() {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                task.run();
            }
        }
    }

    private final MemoryTracker memory = new MemoryTracker(2_000);
    private final FakeSink sink = new FakeSink();
    private final ReceiveWindow window = new ReceiveWindow("c-1", BUFFER, memory, sink);

    @Test
    void theWindowIsTheSmallerOfTheBufferAndTheMemoryLeft() {
        assertThat(window.report()).isEqualTo(BUFFER);
        memory.reserve(1_500);
        assertThat(window.report()).isEqualTo(500);
        memory.reserve(1_000);
        assertThat(window.report()).as("never negative").isZero();
    }

    @Test
    void aLowReportIsFollowedByAWindowUpdateOnceMemoryIsReleased() {
        memory.reserve(1_900);
        assertThat(window.report()).isEqualTo(100);

        memory.release(50);
        sink.runTasks();
        assertThat(sink.sent).as("still below the low-water mark of 250").isEmpty();

        memory.release(1_000);
        memory.release(10);
        sink.runTasks();
        assertThat(sink.sent).containsExactly(new WindowUpdate(1_000));

        memory.release(100);
        sink.runTasks();
        assertThat(sink.sent).as("one update per low report").hasSize(1);
    }

    @Test
    void theDiskLimitClosesTheWindowAndTheClientIsToldWhy() {
        MemoryTracker disk = new MemoryTracker(5_000);
        ReceiveWindow onDisk = new ReceiveWindow("c-2", BUFFER, memory, disk, sink, () -> { });
        disk.reserve(4_900);
        assertThat(onDisk.report()).isEqualTo(100);
        assertThat(sink.sent).as("after the frame carrying the figure").isEmpty();
        sink.runTasks();
        assertThat(sink.sent).singleElement().isInstanceOfSatisfying(WindowUpdate.class, update -> {
            assertThat(update.freeBytes()).isEqualTo(100);
            assertThat(update.reason()).contains("disk limit is reached").contains("4900 of 5000")
                    .contains("maxDiskBytes");
        });

        disk.release(4_000);
        sink.runTasks();
        assertThat(sink.sent).hasSize(2);
        assertThat(sink.sent.get(1)).as("reopened: no reason any more").isEqualTo(new WindowUpdate(BUFFER));
    }

    @Test
    void aClosedWindowSendsNoUpdates() {
        memory.reserve(1_900);
        window.report();
        window.close();
        memory.release(1_900);
        sink.runTasks();
        assertThat(sink.sent).isEmpty();
    }

    @Test
    void aClientWithinItsGrantIsAdmittedAndOneFarBeyondIsRefused() {
        window.report();
        window.admit(600);
        window.admit(400);
        memory.reserve(2_000);
        window.report();
        // the grant is 1000 and the buffer 1000: up to 2000 bytes in all are tolerated
        window.admit(1_000);

        assertThatThrownBy(() -> window.admit(1))
                .isInstanceOfSatisfying(BrokerException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED))
                .hasMessageContaining("beyond the send window");
        memory.release(2_000);
        window.report();
        window.admit(1);
    }

    @Test
    void anOkCountsFromTheEndOfItsSend() {
        long mark = window.admit(100);
        window.admit(200); // read before the first send's Ok was made (a persistent send, stored meanwhile)
        assertThat(window.reportAfterSend(mark, null)).as("the buffer, from the 300 bytes read; 200 after the mark")
                .isEqualTo(BUFFER + 200);
    }

    @Test
    void unansweredSendsAreReportedOnceTheGrantIsHalfSpentInOneUpdatePerRound() {
        ReceiveWindow told = new ReceiveWindow("c-3", BUFFER, memory, new MemoryTracker(Long.MAX_VALUE), sink,
                () -> { }, true);
        assertThat(told.reportWelcome()).isEqualTo(BUFFER);
        told.admit(400);
        told.afterUnansweredSend(null);
        assertThat(sink.tasks).as("600 of 1000 left").isEmpty();
        told.admit(200);
        told.afterUnansweredSend(null);
        told.admit(50);
        told.afterUnansweredSend(null);
        sink.runTasks();
        assertThat(sink.sent).containsExactly(new WindowUpdate(BUFFER, null, 650));

        told.admit(400);
        told.afterUnansweredSend(null);
        sink.runTasks();
        assertThat(sink.sent).as("granted up to 1650: 600 left").hasSize(1);
    }

    @Test
    void reportsInAnswersToOtherRequestsDoNotReopenAWindowTheClientWaitsOn() {
        ReceiveWindow told = new ReceiveWindow("c-4", BUFFER, memory, new MemoryTracker(Long.MAX_VALUE), sink,
                () -> { }, true);
        memory.reserve(1_900);
        assertThat(told.reportAfterSend(told.admit(10), null)).isEqualTo(100);
        memory.release(1_900);
        assertThat(told.report()).as("an Ok of a CloseConsumer, say: the client cannot tell where it counts from")
                .isEqualTo(BUFFER);
        sink.runTasks();
        assertThat(sink.sent).as("so the WindowUpdate still comes").containsExactly(new WindowUpdate(BUFFER, null, 10));
    }
}
