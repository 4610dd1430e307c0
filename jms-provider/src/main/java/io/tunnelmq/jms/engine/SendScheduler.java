package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Paces the sends of one connection by its {@link SendWindow}: sends that do not fit wait in one FIFO across
 * all sessions and are written, oldest first, as send {@code Ok}s and {@code WindowUpdate} frames reopen the
 * window. A send still waiting after the send timeout fails with {@code RESOURCE_EXHAUSTED} and is never
 * written. All waiting sends share one timeout, so the FIFO is also in deadline order and one timer aimed
 * at its head serves them all. Confined to the connection's event loop.
 */
final class SendScheduler {
    private final SendWindow window;
    private final Deque<QueuedSend> waiting = new ArrayDeque<>();
    private final ScheduledExecutorService timer;
    private final long sendTimeoutMillis;
    private final String brokerAddress;
    private boolean timerScheduled;
    private boolean pumping;
    private boolean pumpAgain;
    /** Why the broker said the window is closed, from its last {@code WindowUpdate}; null = no reason given. */
    private String closedReason;

    SendScheduler(SendWindow window, ScheduledExecutorService timer, long sendTimeoutMillis, String brokerAddress) {
        this.window = window;
        this.timer = timer;
        this.sendTimeoutMillis = sendTimeoutMillis;
        this.brokerAddress = brokerAddress;
    }

    /** Whether a send of {@code size} bytes may be written now without overtaking a waiting one. */
    boolean mayWriteNow(int size) {
        return waiting.isEmpty() && window.hasRoomFor(size);
    }

    /** Makes a send wait for window; the session holds it too, to keep its later operations behind it. */
    QueuedSend enqueue(ClientSession session, WireMessage message, ProducerStamp stamp, int size, boolean answered,
                       SendListener listener) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sendTimeoutMillis);
        QueuedSend q = new QueuedSend(session, message, stamp, size, answered, listener, deadline);
        waiting.addLast(q);
        if (!timerScheduled) {
            scheduleTimer(TimeUnit.MILLISECONDS.toNanos(sendTimeoutMillis));
        }
        return q;
    }

    /**
     * A send of {@code size} bytes is being written.
     *
     * @param answered the broker answers it ({@code Ok} or error)
     * @return where it ends in the stream of sends, which its {@code Ok} counts from
     */
    long sent(int size, boolean answered) {
        return window.sent(size, answered);
    }

    /** A send's write failed at once: its bytes never left, which may let others go. */
    void unsent(int size, boolean answered) {
        window.unsent(size, answered);
        pump();
    }

    /** The broker answered the send that ends at {@code end}: {@code Ok} with its free figure, or an error (-1). */
    void answered(long end, long freeBytes) {
        window.answered(end, freeBytes);
        pump();
    }

    /** An answered send will get no answer (timed out, or the connection is lost). */
    void unanswered() {
        window.unanswered();
        pump();
    }

    /**
     * A {@code WindowUpdate}: free space, from {@code received} bytes of sends (-1: the broker did not say), and why
     * the window is closed (null: no reason given), which a send that times out waiting reports.
     */
    void reported(long received, long freeBytes, String reason) {
        closedReason = reason;
        if (received >= 0) {
            window.reported(received, freeBytes);
        } else {
            window.reportedFree(freeBytes);
        }
        pump();
    }

    /** Takes a send out of the FIFO without failing it (its session ended and fails it). */
    void forget(QueuedSend q) {
        waiting.remove(q);
    }

    /** Takes every send out of the FIFO (the connection ended; the sessions fail them). */
    List<QueuedSend> drainAll() {
        List<QueuedSend> all = new ArrayList<>(waiting);
        waiting.clear();
        return all;
    }

    SendWindow window() {
        return window;
    }

    int waitingCount() {
        return waiting.size();
    }

    /** Writes waiting sends, oldest first, while the window has room for the oldest. */
    void pump() {
        if (pumping) {
            // a write completed synchronously and released window while we were writing: go round again
            pumpAgain = true;
            return;
        }
        pumping = true;
        try {
            do {
                pumpAgain = false;
                while (!waiting.isEmpty() && window.hasRoomFor(waiting.peekFirst().size())) {
                    QueuedSend q = waiting.pollFirst();
                    q.session().resumeQueued(q);
                }
            } while (pumpAgain);
        } finally {
            pumping = false;
        }
    }

    private void scheduleTimer(long delayNanos) {
        timerScheduled = true;
        timer.schedule(this::expire, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    private void expire() {
        timerScheduled = false;
        long now = System.nanoTime();
        List<QueuedSend> expired = new ArrayList<>();
        while (!waiting.isEmpty() && waiting.peekFirst().deadlineNanos() - now <= 0) {
            expired.add(waiting.pollFirst());
        }
        if (!waiting.isEmpty()) {
            scheduleTimer(waiting.peekFirst().deadlineNanos() - now);
        }
        for (QueuedSend q : expired) {
            q.session().dropQueued(q, new EngineException(ErrorCode.RESOURCE_EXHAUSTED, "send window spent for "
                    + sendTimeoutMillis + " ms: the broker at " + brokerAddress + " is full or slow ("
                    + window.lastFree() + " bytes free, " + window.inFlight() + " bytes in flight)"
                    + (closedReason == null ? "" : ": " + closedReason)));
        }
        if (!expired.isEmpty()) {
            pump(); // a large head gave up: smaller sends behind it may fit
        }
    }
}
