package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.message.WireMessage;

/**
 * How the application's threads hand one session's work to its event loop, in call order. Every task of the session
 * goes through {@link #execute}. Fire-and-forget completions, hand-out notices and unanswered sends join the batch of
 * the session's last task while the loop has not taken it ({@link HandOverBatch}), so a consumer taking message after
 * message, or a producer sending, while the loop is busy submits one task for many, not one per message (each a queue
 * offer, and a wake-up of a sleeping loop). Any other task closes the batch: what is handed over after it goes in a
 * task after it. On the loop, a batch's settlements go first ({@link SessionSettlements}), then its sends
 * ({@link SessionSends}). Any thread.
 */
final class SessionHandOver {
    private final ClientSession session;
    private final TunnelClientConnection connection;
    /** Guards {@link #open}, and orders the session's tasks with what is handed over. */
    private final Object lock = new Object();
    /** What the last task this session submitted hands over, not yet taken by the event loop; or null. */
    private HandOverBatch open;

    SessionHandOver(ClientSession session, TunnelClientConnection connection) {
        this.session = session;
        this.connection = connection;
    }

    /** Submits a task of the session to the event loop; what is handed over after it goes in a task after it. */
    void execute(Runnable task) {
        synchronized (lock) {
            open = null;
            connection.execute(task);
        }
    }

    /** Fire-and-forget completions (copied). */
    void complete(long[] lockTokens) {
        synchronized (lock) {
            openBatch().completions.add(lockTokens);
        }
    }

    /** A hand-out notice. */
    void taken(long lockToken) {
        synchronized (lock) {
            openBatch().taken(lockToken);
        }
    }

    /** An unanswered send. */
    void send(WireMessage message, SendListener listener) {
        synchronized (lock) {
            openBatch().send(message, listener);
        }
    }

    /**
     * The batch of the last task this session submitted, if the loop has not taken it: nothing handed over now can
     * overtake anything. Otherwise a new one, in a task of its own. Under the lock.
     */
    private HandOverBatch openBatch() {
        if (open == null) {
            HandOverBatch batch = new HandOverBatch();
            connection.execute(() -> take(batch)); // may refuse (a loop shut down): then nothing is open
            open = batch;
        }
        return open;
    }

    /** On the event loop: closes the batch to the application's threads, then lets the session act on it. */
    private void take(HandOverBatch batch) {
        synchronized (lock) {
            if (open == batch) {
                open = null;
            }
        } // closed (here or by a later task): nothing is added to it any more, so it is read without the lock
        session.settlements().takeHandedOver(batch);
        session.sends().takeHandedOver(batch);
    }
}
