package io.tunnelmq.server.security;

import java.util.Arrays;
import java.util.function.IntToLongFunction;

/**
 * One source address's recent failed logins as different users, for {@link LoginBackoff}: the name hashes of at most
 * {@link LoginBackoff#SPRAY_USERS} users and when each last failed, newest first. Once that many different users have
 * failed within the quiet period the address is spraying: each of its failures is counted, and blocks the whole
 * address for the back-off delay of that count, until fewer users than that have failed within the quiet period.
 * Immutable (each failure makes a new one, a few dozen bytes), so a map's {@code compute} can replace it atomically.
 */
final class SprayWatch {
    private final long[] users;
    private final long[] failedAt;
    private final int sprayFailures;
    private final long blockedUntilNanos;

    private SprayWatch(long[] users, long[] failedAt, int sprayFailures, long blockedUntilNanos) {
        this.users = users;
        this.failedAt = failedAt;
        this.sprayFailures = sprayFailures;
        this.blockedUntilNanos = blockedUntilNanos;
    }

    /**
     * The watch after a failure as {@code user} at {@code now}.
     *
     * @param previous the watch before it, or null
     * @param delay    the back-off delay in nanoseconds for a count of failures
     */
    static SprayWatch after(SprayWatch previous, long user, long now, long quietNanos, IntToLongFunction delay) {
        long[] users = new long[LoginBackoff.SPRAY_USERS];
        long[] failedAt = new long[LoginBackoff.SPRAY_USERS];
        users[0] = user;
        failedAt[0] = now;
        int recent = 1;
        for (int i = 0; previous != null && i < previous.users.length && recent < users.length; i++) {
            if (previous.users[i] != user && now - previous.failedAt[i] <= quietNanos) {
                users[recent] = previous.users[i];
                failedAt[recent++] = previous.failedAt[i];
            }
        }
        if (recent < LoginBackoff.SPRAY_USERS) {
            long stillBlocked = previous == null ? now : previous.blockedUntilNanos; // nanoTime may be negative
            return new SprayWatch(Arrays.copyOf(users, recent), Arrays.copyOf(failedAt, recent), 0, stillBlocked);
        }
        int failures = previous == null ? 1 : previous.sprayFailures + 1;
        return new SprayWatch(users, failedAt, failures, now + delay.applyAsLong(failures));
    }

    /** Failures counted since the address began failing as {@link LoginBackoff#SPRAY_USERS} users (0 = it has not). */
    int sprayFailures() {
        return sprayFailures;
    }

    /** Until when every login from the address is refused unchecked (no later than now when it is not). */
    long blockedUntilNanos() {
        return blockedUntilNanos;
    }

    /** When the address last failed. */
    long lastNanos() {
        return failedAt[0];
    }
}
