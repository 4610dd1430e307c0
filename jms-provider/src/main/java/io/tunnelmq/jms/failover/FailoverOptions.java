package io.tunnelmq.jms.failover;

import java.util.List;
import java.util.Objects;

/**
 * How a connection reconnects. The facade builds them from the URL ({@code tmq://h1:p1,h2:p2?reconnect...}).
 *
 * @param addresses              brokers to connect to, {@code host:port} each, in the URL's order; at least one
 * @param randomize              try the addresses in a random order (per connection) rather than the URL's
 * @param reconnectTimeoutMillis how long to keep reconnecting after a loss before giving up; 0 = forever
 * @param initialDelayMillis     the wait before the second attempt (the first is at once)
 * @param multiplier             each later wait is the previous one times this, >= 1
 * @param maxDelayMillis         the longest wait between two attempts
 */
public record FailoverOptions(List<String> addresses, boolean randomize, long reconnectTimeoutMillis,
                              long initialDelayMillis, double multiplier, long maxDelayMillis) {

    public FailoverOptions {
        addresses = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one broker address is needed");
        }
        if (reconnectTimeoutMillis < 0 || initialDelayMillis < 0 || maxDelayMillis < 0 || multiplier < 1) {
            throw new IllegalArgumentException("bad reconnect settings: timeout " + reconnectTimeoutMillis
                    + " ms, delay " + initialDelayMillis + " ms, multiplier " + multiplier + ", max delay "
                    + maxDelayMillis + " ms");
        }
    }
}
