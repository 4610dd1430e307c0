package io.tunnelmq.server.security;

import io.tunnelmq.protocol.PeerText;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Slows password guessing. The answer to a failed login is held back for a delay that doubles with each failure of
 * the same user from the same source address, up to a cap, and while that delay runs that user's logins from that
 * address are refused without looking at their password, so opening many connections in parallel does not multiply
 * the guesses. Other users behind the same address (a NAT, a Kubernetes node's SNAT) are not held up by one client
 * that keeps failing. An address from which logins failed as {@value #SPRAY_USERS} or more different users within the
 * quiet period is guessing across accounts (one password sprayed over many users, or user names tried): from then on
 * each failure from it blocks the whole address, every user, for a delay that doubles per failure while it keeps
 * failing as that many users ({@link SprayWatch}). So one address gets at most {@code SPRAY_USERS - 1} guesses per
 * delay before the address itself is slowed.
 *
 * <p>Failures are forgotten after a quiet period without any. A successful login does not clear a count: an attacker
 * who owns one account could otherwise reset it between guesses. User names are kept as 64-bit hashes, so a hostile
 * peer's long names cost no more than short ones; two names whose hashes collide share one count, which can only hold
 * back logins from the address that failed. Thread-safe; it only computes delays, the caller schedules the answers
 * (never sleeping on an event loop).
 */
public final class LoginBackoff {
    /** Failures older than this are forgotten. */
    public static final long QUIET_PERIOD_MILLIS = 60_000;
    /** Different users failing from one address within the quiet period that make it block as a whole. */
    public static final int SPRAY_USERS = 3;
    /** Past this many users and addresses each, quiet ones are dropped; if all are recent, new ones go unremembered. */
    static final int MAX_ENTRIES = 100_000;

    /**
     * Logins refused unchecked, or a failure's answer held back.
     *
     * @param millis       how long, rounded up (0 = not blocked)
     * @param failures     the failures it counts: the user's from the address, or the address's since it began
     *                     failing as {@value #SPRAY_USERS} users
     * @param wholeAddress every user's logins from the address are refused, not just this user's
     */
    public record Block(long millis, int failures, boolean wholeAddress) {
        public static final Block NONE = new Block(0, 0, false);

        /** Why a login as {@code user} from {@code address} is refused unchecked, for the client and the log. */
        public String refusal(InetAddress address, String user) {
            return wholeAddress
                    ? "too many failed logins from " + PeerSource.describe(address) + " as different users; the broker"
                            + " does not check passwords from it for " + millis + " ms"
                    : "too many failed logins as user '" + PeerText.of(user) + "' from " + PeerSource.describe(address)
                            + "; the broker does not check that user's passwords from it for " + millis + " ms";
        }

        /** The failure count and delay behind a refusal, for the log. */
        public String heldBack() {
            return wholeAddress
                    ? failures + " failed login(s) from this address since it failed as " + SPRAY_USERS
                            + " different users; every login from it held back " + millis + " ms"
                    : failures + " failed login(s) in a row as this user from this address; answer held back "
                            + millis + " ms";
        }
    }

    private record UserAt(InetAddress source, long user) {
    }

    private record Failures(int count, long lastNanos, long blockedUntilNanos) {
    }

    private final long firstDelayNanos;
    private final long maxDelayNanos;
    private final long quietNanos;
    private final LongSupplier clock;
    private final Map<UserAt, Failures> users = new ConcurrentHashMap<>();
    private final Map<InetAddress, SprayWatch> addresses = new ConcurrentHashMap<>();

    /**
     * @param firstDelayMillis delay after a user's first failure from an address, 0 = no back-off at all
     * @param maxDelayMillis   the longest delay
     */
    public LoginBackoff(long firstDelayMillis, long maxDelayMillis) {
        this(firstDelayMillis, maxDelayMillis, QUIET_PERIOD_MILLIS, System::nanoTime);
    }

    /** The back-off of a broker with these limits (its login failure delays). */
    public static LoginBackoff of(PeerLimits limits) {
        return new LoginBackoff(limits.loginFailureDelayMillis(), limits.maxLoginFailureDelayMillis());
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

    /** Whether and how long logins as {@code user} from {@code address} are refused unchecked. */
    public Block blocked(InetAddress address, String user) {
        InetAddress source = PeerSource.of(address);
        long now = clock.getAsLong();
        SprayWatch spray = addresses.get(source);
        Failures own = users.get(new UserAt(source, hash(user)));
        return longer(spray, now, own == null ? 0 : own.blockedUntilNanos() - now, own == null ? 0 : own.count());
    }

    /**
     * Records a failed login as {@code user} from {@code address}.
     *
     * @return how long to hold the failure's answer back, and the block it starts ({@link Block#NONE} when back-off
     *         is off)
     */
    public Block failed(InetAddress address, String user) {
        if (firstDelayNanos == 0) {
            return Block.NONE;
        }
        long now = clock.getAsLong();
        InetAddress source = PeerSource.of(address);
        long userHash = hash(user);
        SprayWatch spray = remember(addresses, source, now, SprayWatch::lastNanos,
                (a, s) -> SprayWatch.after(s, userHash, now, quietNanos, this::delay));
        Failures own = remember(users, new UserAt(source, userHash), now, Failures::lastNanos, (k, f) -> {
            int count = f == null || now - f.lastNanos() > quietNanos ? 1 : f.count() + 1;
            return new Failures(count, now, now + delay(count));
        });
        return own == null // not remembered: the map is full
                ? longer(spray, now, firstDelayNanos, 1)
                : longer(spray, now, own.blockedUntilNanos() - now, own.count());
    }

    /** The longer of the address's block and the user's ({@code ownNanos} left, {@code ownCount} failures). */
    private static Block longer(SprayWatch spray, long now, long ownNanos, int ownCount) {
        long addressNanos = spray == null ? 0 : spray.blockedUntilNanos() - now;
        if (addressNanos <= 0 && ownNanos <= 0) {
            return Block.NONE;
        }
        return addressNanos >= ownNanos
                ? new Block(roundUp(addressNanos), spray.sprayFailures(), true)
                : new Block(roundUp(ownNanos), ownCount, false);
    }

    /**
     * Updates {@code key}'s entry, or returns null without remembering it when the map is full of recent entries:
     * what is remembered stays bounded whatever a flood of addresses and names does.
     */
    private <K, V> V remember(Map<K, V> map, K key, long now, ToLongFunction<V> lastNanos,
                              BiFunction<K, V, V> update) {
        if (map.size() >= MAX_ENTRIES && !map.containsKey(key)) {
            map.values().removeIf(v -> now - lastNanos.applyAsLong(v) > quietNanos);
            if (map.size() >= MAX_ENTRIES) {
                return null;
            }
        }
        return map.compute(key, update);
    }

    private long delay(int count) {
        int doublings = Math.min(count - 1, 40); // beyond that the cap has long been reached
        long delay = firstDelayNanos;
        for (int i = 0; i < doublings && delay < maxDelayNanos; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxDelayNanos);
    }

    private static long roundUp(long nanos) {
        return nanos <= 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(nanos + 999_999);
    }

    /** FNV-1a over the name's chars; an anonymous login (no name) counts as the empty name. */
    static long hash(String user) {
        long h = 0xcbf29ce484222325L;
        if (user != null) {
            for (int i = 0; i < user.length(); i++) {
                h = (h ^ user.charAt(i)) * 0x100000001b3L;
            }
        }
        return h;
    }
}
