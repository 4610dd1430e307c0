package io.tunnelmq.jms.engine;

import java.util.Objects;

/**
 * The prefetched messages the facade gave back when the broker revoked them ({@link DeliveryListener#onRevoke}):
 * their lock tokens, and the credit to hand back for them in messages and bytes ({@code WireMessage.sizeEstimate()}),
 * so the engine can release them and return their credit. A message the application took once and put back (a
 * {@code receiveBody} of the wrong type) had its credit handed back when it was taken, so it counts in neither.
 *
 * @param lockTokens the released locks, possibly none
 * @param messages   the messages among them whose credit goes back, at most {@code lockTokens.length}
 * @param bytes      the size in all of those messages
 */
public record Released(long[] lockTokens, int messages, long bytes) {
    /** Nothing released. */
    public static final Released NONE = new Released(new long[0], 0);

    public Released {
        Objects.requireNonNull(lockTokens, "lockTokens");
        if (messages < 0 || messages > lockTokens.length) {
            throw new IllegalArgumentException("released messages must be 0.." + lockTokens.length + ", was "
                    + messages);
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("released bytes must be >= 0, was " + bytes);
        }
    }

    /** Released messages whose credit all goes back. */
    public Released(long[] lockTokens, long bytes) {
        this(lockTokens, lockTokens.length, bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Released r && r.messages == messages && r.bytes == bytes
                && java.util.Arrays.equals(r.lockTokens, lockTokens);
    }

    @Override
    public int hashCode() {
        return (java.util.Arrays.hashCode(lockTokens) * 31 + messages) * 31 + Long.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Released[" + java.util.Arrays.toString(lockTokens) + ", credit " + messages + " messages, " + bytes
                + " bytes]";
    }
}
