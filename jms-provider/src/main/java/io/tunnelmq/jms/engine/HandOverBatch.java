package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.Arrays;

/**
 * What the application's threads hand one session's event loop in a single task: fire-and-forget completions,
 * hand-out notices and unanswered sends, each kind in the order given ({@link SessionHandOver}). The threads add under
 * the batch's monitor until the loop closes it; an add to a closed batch is refused, and goes in a new one. Once
 * closed, only the loop reads it, without a lock.
 */
final class HandOverBatch {
    private static final long[] NONE = new long[0];

    final CompletionBatch completions = new CompletionBatch();
    private long[] taken = NONE;
    private int takenCount;
    private WireMessage[] messages;
    private SendListener[] listeners;
    private int sendCount;
    /** Guarded by this. */
    private boolean closed;

    /** Fire-and-forget completions (copied). @return false if the batch is closed: nothing was added */
    synchronized boolean complete(long[] lockTokens) {
        if (closed) {
            return false;
        }
        completions.add(lockTokens);
        return true;
    }

    /** The application was handed the message of this lock. @return false if the batch is closed */
    synchronized boolean taken(long lockToken) {
        if (closed) {
            return false;
        }
        if (takenCount == taken.length) {
            taken = Arrays.copyOf(taken, Math.max(8, takenCount * 2));
        }
        taken[takenCount++] = lockToken;
        return true;
    }

    /** An unanswered send ({@link EngineSession#sendUnanswered}). @return false if the batch is closed */
    synchronized boolean send(WireMessage message, SendListener listener) {
        if (closed) {
            return false;
        }
        if (messages == null) {
            messages = new WireMessage[4];
            listeners = new SendListener[4];
        } else if (sendCount == messages.length) {
            messages = Arrays.copyOf(messages, sendCount * 2);
            listeners = Arrays.copyOf(listeners, sendCount * 2);
        }
        messages[sendCount] = message;
        listeners[sendCount++] = listener;
        return true;
    }

    /** On the loop: no more adds; what was added before is visible to the loop from here on. */
    synchronized void close() {
        closed = true;
    }

    /** On the loop, once it acted on the batch: lets go of the messages (the session may keep the batch a while). */
    void release() {
        messages = null;
        listeners = null;
        sendCount = 0;
    }

    /** How many sends were handed over; read by the loop once the batch is closed to the application's threads. */
    int sendCount() {
        return sendCount;
    }

    WireMessage message(int i) {
        return messages[i];
    }

    SendListener listener(int i) {
        return listeners[i];
    }

    /** The hand-out notices, in the order given; empties the batch of them. */
    long[] takeTaken() {
        long[] out = takenCount == 0 ? NONE : Arrays.copyOf(taken, takenCount);
        takenCount = 0;
        return out;
    }
}
