package io.tunnelmq.jms.engine;

import java.util.Arrays;

/**
 * The lock tokens of fire-and-forget completions of one session ({@link EngineSession#completeUnanswered}) gathered
 * during one event-loop turn, so they reach the broker as one {@code Settle} instead of one frame per message; and,
 * before that, those the application's threads hand over to the event loop together. No future per completion: one
 * that fails is reported through the session's failed completions. Not thread-safe: confined to the event loop, or
 * guarded by its owner.
 */
final class CompletionBatch {
    private static final long[] NONE = new long[0];

    /** Grown as tokens come, from none: most batches handed over hold one completion. */
    private long[] tokens = NONE;
    private int size;

    /** Adds completions. @return true if the batch was empty: the caller schedules its flush */
    boolean add(long[] lockTokens) {
        boolean first = size == 0;
        if (size + lockTokens.length > tokens.length) {
            tokens = Arrays.copyOf(tokens, Math.max(Math.max(tokens.length * 2, 4), size + lockTokens.length));
        }
        System.arraycopy(lockTokens, 0, tokens, size, lockTokens.length);
        size += lockTokens.length;
        return first;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The gathered lock tokens, in the order they were added; empties the batch. */
    long[] takeTokens() {
        long[] taken = size == 0 ? NONE : Arrays.copyOf(tokens, size);
        size = 0;
        return taken;
    }
}
