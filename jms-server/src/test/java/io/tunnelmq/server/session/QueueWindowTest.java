package io.tunnelmq.server.session;

import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.WindowUpdate;
import io.tunnelmq.server.queue.MemoryTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A full queue closes the window of the connections that send to it, until it drains. */
@Timeout(10)
class QueueWindowTest {

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

    private final MemoryTracker broker = new MemoryTracker(100_000);
    private final MemoryTracker full = broker.forQueue(1_000);
    private final MemoryTracker other = broker.forQueue(0);
    private final FakeSink sink = new FakeSink();
    private final ReceiveWindow window = new ReceiveWindow("c-1", 10_000, broker, sink);

    /** The free figure of the Ok of an empty send to {@code queue} (null: a topic). */
    private long okOfSendTo(MemoryTracker queue) {
        return window.reportAfterSend(window.admit(0), queue);
    }

    @Test
    void aSendToAQueueReportsAtMostTheQueuesSpace() {
        full.reserve(400);
        assertThat(okOfSendTo(full)).isEqualTo(600);
        assertThat(okOfSendTo(other)).isEqualTo(10_000);
        assertThat(okOfSendTo(null)).as("a topic: the broker's space").isEqualTo(10_000);
    }

    @Test
    void aFullQueueKeepsTheWholeWindowClosedUntilItDrains() {
        full.reserve(900);
        assertThat(okOfSendTo(full)).isEqualTo(100);
        assertThat(window.report()).as("other answers carry the closed window too").isEqualTo(100);
        assertThat(okOfSendTo(other)).isEqualTo(100);

        other.reserve(50_000);
        other.release(50_000); // space elsewhere is no news while the queue is full
        sink.runTasks();
        assertThat(sink.sent).isEmpty();

        full.release(800);
        sink.runTasks();
        assertThat(sink.sent).containsExactly(new WindowUpdate(10_000));
        assertThat(window.report()).isEqualTo(10_000);
    }

    @Test
    void aQueueDrainedWhileTheWindowStartsWaitingIsNotMissed() {
        AtomicBoolean drained = new AtomicBoolean();
        // runs after the window measured the queue and before it waits for releases: the release finds no waiter
        ReceiveWindow racing = new ReceiveWindow("c-2", 10_000, broker, sink, () -> {
            if (drained.compareAndSet(false, true)) {
                full.release(800);
            }
        });
        full.reserve(900);
        assertThat(racing.reportAfterSend(racing.admit(0), full)).isEqualTo(100);

        sink.runTasks();
        assertThat(sink.sent).as("the queue's room is above its own mark, the broker's above the connection's")
                .containsExactly(new WindowUpdate(10_000));
    }

    @Test
    void aQueueHeldAtTheConsumerLagReopensTheWindowWhenItsLastConsumerGoes() {
        MemoryTracker lagged = new MemoryTracker(100_000, 1_000);
        MemoryTracker queue = lagged.forQueue(50_000);
        ReceiveWindow held = new ReceiveWindow("c-2", 10_000, lagged, sink);
        queue.consumersAttached(true);
        queue.reserve(900);
        assertThat(held.reportAfterSend(held.admit(0), queue)).isEqualTo(100);

        queue.consumersAttached(false); // no memory released: the queue's own limit is its room again
        sink.runTasks();
        assertThat(sink.sent).containsExactly(new WindowUpdate(10_000));
    }
}
