package io.tunnelmq.server.queue;

import java.util.Objects;

/**
 * What every queue of a broker shares.
 *
 * @param timer       lock expiry and scheduled delivery
 * @param tokens      lock token issuer
 * @param memory      the broker-wide memory account
 * @param deadLetters where dead-lettered messages go
 */
public record QueueServices(QueueTimer timer, LockTokens tokens, MemoryTracker memory, DeadLetterSink deadLetters) {

    public QueueServices {
        Objects.requireNonNull(timer, "timer");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }
}
