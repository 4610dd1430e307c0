package io.tunnelmq.server.queue;

import java.util.concurrent.atomic.AtomicLong;

/** Issues lock tokens, unique within one broker process. */
public final class LockTokens {
    private final AtomicLong last = new AtomicLong();

    /** The next token; never 0 (0 marks "not locked"). */
    public long next() {
        return last.incrementAndGet();
    }
}
