package io.tunnelmq.server.security;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Slows password guessing per source address: the answer to a failed login is held back for a delay that doubles
 * with each failure from that address up to a cap, and while that delay runs the address is blocked — further logins
 * from it are refused without looking at their password, so opening many connections in parallel does not multiply
 * the guesses. An address is forgotten after a quiet period without failures. A successful login does not clear the
 * count: an attacker who owns one account could otherwise reset it between guesses. Thread-safe; it only computes
 * delays, the caller schedules the answers (never sleeping on an event loop).
 */
public final class LoginBackoff {
    /** Failures older than this are forgotten. */
    public static final long QUIET_PERIOD_MILLIS = 60_000;
    /** Past this many addresses, quiet ones are dropped; if all are recent, new addresses start unremembered. */
    static final int MAX_ADDRESSES = 100_000;

    private record Failures(int count, long lastNanos, long blockedUntilNanos) {
    }

    private final long firstDelayNanos;
    private final long maxDelayNanos;
    private final long quietNanos;
    private final LongSupplier clock;
    private final Map<InetAddress, Failures> failures = new ConcurrentHashMap<>();

    /**
     * @param firstDelayMillis delay after the first failure from an address, 0 = no back-off at all
     * @param maxDelayMillis   the longest delay
     */
    public LoginBackoff(long firstDelayMillis, long maxDelayMillis) {
        this(firstDelayMillis, maxDelayMillis, QUIET_PERIOD_MILLIS, System::nanoTime);
    }

    LoginBackoff(long firstDelayMillis, long maxDelayMillis, long quietMillis, LongSupplier clock) {
        if (firstDelayMillis < 0 || maxDelayMillis < firstDelayMillis) {
            throw new IllegalArgumentException("login failure delays must satisfy 0 <= first <= max, were "
                    + firstDelayMillis + " and " + maxDelayMillis);
        }
        this.firstDelayNanos = TimeUnit.MILLISECONDS.toNanos(firstDelayMillis);
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMillis);
        this.quietNanos = TimeUnit.MILLISECONDS.toNanos(quietMillis);
        this.clock = clock;
    }

    /** Milliseconds (rounded up) until {@code address} may try a password again; 0 if it may now. */
    public long blockedMillis(InetAddress address) {
        Failures f = failures.get(PeerSource.of(address));
        if (f == null) {
            return 0;
        }
        long remaining = f.blockedUntilNanos() - clock.getAsLong();
        return remaining <= 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(remaining + 999_999);
    }

    /**
     * Records a failed login from {@code address}.
     *
     * @return milliseconds to hold the failure's answer back (0 when back-off is off)
     */
    public long failed(InetAddress address) {
        if (firstDelayNanos == 0) {
            return 0;
        }
        long now = clock.getAsLong();
        InetAddress source = PeerSource.of(address);
        if (failures.size() >= MAX_ADDRESSES && !failures.containsKey(source)) {
            failures.values().removeIf(f -> now - f.lastNanos() > quietNanos);
            if (failures.size() >= MAX_ADDRESSES) {
                return TimeUnit.NANOSECONDS.toMillis(firstDelayNanos); // remembered addresses stay bounded
            }
        }
        Failures updated = failures.compute(source, (a, f) -> {
            int count = f == null || now - f.lastNanos() > quietNanos ? 1 : f.count() + 1;
            long delay = delay(count);
            return new Failures(count, now, now + delay);
        });
        return TimeUnit.NANOSECONDS.toMillis(updated.blockedUntilNanos() - now);
    }

    /** Failures remembered for {@code address} (0 once forgotten). */
    public int failures(InetAddress address) {
        Failures f = failures.get(PeerSource.of(address));
        return f == null || clock.getAsLong() - f.lastNanos() > quietNanos ? 0 : f.count();
    }

    private long delay(int count) {
        int doublings = Math.min(count - 1, 40); // beyond that the cap has long been reached
        long delay = firstDelayNanos;
        for (int i = 0; i < doublings && delay < maxDelayNanos; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxDelayNanos);
    }
}
