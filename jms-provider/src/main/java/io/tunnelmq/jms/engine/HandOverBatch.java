package io.tunnelmq.jms.engine;

import java.util.Arrays;

/**
 * What the application's threads hand one session's event loop in a single task: fire-and-forget completions and
 * hand-out notices, each kind in the order given. Guarded by the session's hand-over lock until the loop takes it
 * ({@link SessionSettlements}).
 */
final class HandOverBatch {
    private static final long[] NONE = new long[0];

    final CompletionBatch completions = new CompletionBatch();
    private long[] taken = NONE;
    private int takenCount;

    /** The application was handed the message of this lock. */
    void taken(long lockToken) {
        if (takenCount == taken.length) {
            taken = Arrays.copyOf(taken, Math.max(8, takenCount * 2));
        }
        taken[takenCount++] = lockToken;
    }

    /** The hand-out notices, in the order given; empties the batch of them. */
    long[] takeTaken() {
        long[] out = takenCount == 0 ? NONE : Arrays.copyOf(taken, takenCount);
        takenCount = 0;
        return out;
    }
}
