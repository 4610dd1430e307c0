package io.tunnelmq.jms;

import java.io.Serializable;

/**
 * How a connection reconnects after it lost its broker: the reconnect options of a {@link ConnectionOptions} URL
 * ({@code tmq://h1:p1,h2:p2?reconnect=true&reconnectTimeout=120000&...}, see there for the table).
 *
 * <p>After a loss the client tries the broker addresses one after the other (in the URL's order, or shuffled with
 * {@code randomize=true}), the first attempt at once, then waiting {@code reconnectDelay}, multiplied by
 * {@code reconnectBackoff} after every attempt up to {@code reconnectMaxDelay}, until one answers or
 * {@code reconnectTimeout} has passed; only then does the connection fail (its {@link jakarta.jms.ExceptionListener}
 * hears it once).
 *
 * @param enabled          reconnect at all; false fails the connection on its first loss
 * @param timeoutMillis    how long to keep trying after a loss before giving up; 0 = forever
 * @param delayMillis      the wait before the second attempt
 * @param backoff          each later wait is the previous one times this, >= 1
 * @param maxDelayMillis   the longest wait between two attempts
 * @param randomize        try the addresses in a random order rather than the URL's
 */
public record ReconnectOptions(boolean enabled, long timeoutMillis, long delayMillis, double backoff,
                               long maxDelayMillis, boolean randomize) implements Serializable {

    /** The defaults: reconnect for two minutes, from 100 ms doubling to 2 s between attempts, in the URL's order. */
    public static final ReconnectOptions DEFAULTS = new ReconnectOptions(true, 120_000, 100, 2.0, 2_000, false);

    public ReconnectOptions {
        requireNonNegative("reconnectTimeout", timeoutMillis);
        requireNonNegative("reconnectDelay", delayMillis);
        requireNonNegative("reconnectMaxDelay", maxDelayMillis);
        if (!(backoff >= 1) || Double.isInfinite(backoff)) { // also refuses NaN
            throw new IllegalArgumentException("reconnectBackoff must be a number >= 1 (1 keeps the delay constant),"
                    + " was " + backoff);
        }
        if (maxDelayMillis < delayMillis) {
            throw new IllegalArgumentException("reconnectMaxDelay (" + maxDelayMillis + " ms) must not be less than"
                    + " reconnectDelay (" + delayMillis + " ms)");
        }
    }

    /** True if a lost connection keeps trying without a time limit. */
    public boolean forever() {
        return enabled && timeoutMillis == 0;
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }
}
