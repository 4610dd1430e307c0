package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * How the application's threads hand one session's work to its event loop, in call order. Every task of the session
 * goes through {@link #execute}. Fire-and-forget completions, hand-out notices and unanswered sends join the batch of
 * the session's last task while the loop has not taken it ({@link HandOverBatch}), so a consumer taking message after
 * message, or a producer sending, while the loop is busy submits one task for many, not one per message (each a queue
 * offer, and a wake-up of a sleeping loop). Any other task closes the batch: what is handed over after it goes in a
 * task after it. On the loop, a batch's settlements go first ({@link SessionSettlements}), then its sends
 * ({@link SessionSends}). Any thread.
 * <p>
 * The loop never waits for an application thread. Submitting wakes a sleeping loop, and the submitting thread still
 * holds this object's lock (so tasks are submitted in call order); a loop that took that lock to close the batch
 * would wake only to sleep on it, and be woken again when the thread let go: two thread switches more for every
 * message at a low rate. So a batch gets its first entry before its task is submitted, and the loop closes it under
 * the batch's own monitor, which an application thread holds only while it adds an entry.
 */
final class SessionHandOver {
    private final Executor loop;
    private final Consumer<HandOverBatch> onLoop;
    /** Orders the session's tasks with what is handed over. */
    private final Object lock = new Object();
    /** The batch of the last task this session submitted, or null after any other task; guarded by lock. */
    private HandOverBatch open;

    /**
     * @param loop   the session's event loop (may refuse a task once shut down)
     * @param onLoop what the session does, on the loop, with a batch that the loop has closed
     */
    SessionHandOver(Executor loop, Consumer<HandOverBatch> onLoop) {
        this.loop = loop;
        this.onLoop = onLoop;
    }

    /** Submits a task of the session to the event loop; what is handed over after it goes in a task after it. */
    void execute(Runnable task) {
        synchronized (lock) {
            open = null;
            loop.execute(task);
        }
    }

    /** Fire-and-forget completions (copied). */
    void complete(long[] lockTokens) {
        synchronized (lock) {
            if (open == null || !open.complete(lockTokens)) {
                HandOverBatch batch = new HandOverBatch();
                batch.complete(lockTokens);
                submit(batch);
            }
        }
    }

    /** A hand-out notice. */
    void taken(long lockToken) {
        synchronized (lock) {
            if (open == null || !open.taken(lockToken)) {
                HandOverBatch batch = new HandOverBatch();
                batch.taken(lockToken);
                submit(batch);
            }
        }
    }

    /** An unanswered send. */
    void send(WireMessage message, SendListener listener) {
        synchronized (lock) {
            if (open == null || !open.send(message, listener)) {
                HandOverBatch batch = new HandOverBatch();
                batch.send(message, listener);
                submit(batch);
            }
        }
    }

    /**
     * Submits a new batch, holding its first entry, in a task of its own. Under the lock, with {@link #open} null or
     * closed (it refused the entry); so when the loop refuses the task (shut down), nothing is open.
     */
    private void submit(HandOverBatch batch) {
        loop.execute(() -> take(batch));
        open = batch;
    }

    /** On the event loop: closes the batch to the application's threads, then lets the session act on it. */
    private void take(HandOverBatch batch) {
        batch.close(); // nothing is added to it any more, so it is read without a lock
        onLoop.accept(batch);
        batch.release();
    }
}
