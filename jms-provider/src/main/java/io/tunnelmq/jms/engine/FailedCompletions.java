package io.tunnelmq.jms.engine;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

/**
 * Completions sent without waiting that failed (their locks were lost: those messages come again), kept until the
 * session's next acknowledge takes them. Reports merge into one exception naming every token, up to
 * {@value #MAX_TOKENS}: a session that never takes them (AUTO_ACKNOWLEDGE, whose completions nobody waits for either)
 * holds at most that many. Thread-safe.
 */
public final class FailedCompletions {
    static final int MAX_TOKENS = 1_024;
    private static final String LATER = "; later completions failed too (their tokens follow)";

    private final AtomicReference<EngineException> pending = new AtomicReference<>();

    /** Adds a failure whose lock tokens are the completions that failed. */
    public void add(EngineException failure) {
        pending.accumulateAndGet(failure, FailedCompletions::merge);
    }

    /** The failures added since the last call, merged, or null. */
    public EngineException take() {
        // asked at every acknowledge and nearly always empty: a read, not a write to a line other threads use
        return pending.get() == null ? null : pending.getAndSet(null);
    }

    private static EngineException merge(EngineException earlier, EngineException later) {
        if (earlier == null) {
            return later;
        }
        long[] tokens = LongStream.concat(Arrays.stream(earlier.lockTokens()), Arrays.stream(later.lockTokens()))
                .limit(MAX_TOKENS).toArray();
        String message = earlier.getMessage().endsWith(LATER) ? earlier.getMessage() : earlier.getMessage() + LATER;
        return new EngineException(earlier.code(), message, tokens);
    }
}
