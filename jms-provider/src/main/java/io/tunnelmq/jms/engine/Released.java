package io.tunnelmq.jms.engine;

import java.util.Objects;

/**
 * The prefetched messages the facade gave back when the broker revoked them ({@link DeliveryListener#onRevoke}):
 * their lock tokens and their size in all ({@code WireMessage.sizeEstimate()}), so the engine can release them
 * and hand back their credit in messages and bytes.
 *
 * @param lockTokens the released locks, possibly none
 * @param bytes      the released messages' size in all
 */
public record Released(long[] lockTokens, long bytes) {
    /** Nothing released. */
    public static final Released NONE = new Released(new long[0], 0);

    public Released {
        Objects.requireNonNull(lockTokens, "lockTokens");
        if (bytes < 0) {
            throw new IllegalArgumentException("released bytes must be >= 0, was " + bytes);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Released r && r.bytes == bytes && java.util.Arrays.equals(r.lockTokens, lockTokens);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(lockTokens) * 31 + Long.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Released[" + java.util.Arrays.toString(lockTokens) + ", " + bytes + " bytes]";
    }
}
