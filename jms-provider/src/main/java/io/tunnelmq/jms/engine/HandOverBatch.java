package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.Arrays;

/**
 * What the application's threads hand one session's event loop in a single task: fire-and-forget completions,
 * hand-out notices and unanswered sends, each kind in the order given. Guarded by the session's hand-over lock until
 * the loop takes it ({@link SessionHandOver}).
 */
final class HandOverBatch {
    private static final long[] NONE = new long[0];

    final CompletionBatch completions = new CompletionBatch();
    private long[] taken = NONE;
    private int takenCount;
    private WireMessage[] messages;
    private SendListener[] listeners;
    private int sendCount;

    /** The application was handed the message of this lock. */
    void taken(long lockToken) {
        if (takenCount == taken.length) {
            taken = Arrays.copyOf(taken, Math.max(8, takenCount * 2));
        }
        taken[takenCount++] = lockToken;
    }

    /** An unanswered send ({@link EngineSession#sendUnanswered}). */
    void send(WireMessage message, SendListener listener) {
        if (messages == null) {
            messages = new WireMessage[4];
            listeners = new SendListener[4];
        } else if (sendCount == messages.length) {
            messages = Arrays.copyOf(messages, sendCount * 2);
            listeners = Arrays.copyOf(listeners, sendCount * 2);
        }
        messages[sendCount] = message;
        listeners[sendCount++] = listener;
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
