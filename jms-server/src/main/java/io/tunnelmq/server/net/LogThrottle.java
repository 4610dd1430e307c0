package io.tunnelmq.server.net;

import io.tunnelmq.server.security.PeerSource;
import org.slf4j.Logger;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Decides which complaints about hostile or broken peers reach the log: one per kind and source address ({@link
 * PeerSource}: an IPv6 /64) per interval, so a peer that opens thousands of bad connections costs a few log lines,
 * not a flooded disk. The next line that is logged says how many were left out. Thread-safe; remembers at most {@link #MAX_KEYS} addresses.
 */
final class LogThrottle {
    /** How often each address may be logged for each kind of complaint. */
    static final long INTERVAL_MILLIS = 60_000;
    static final int MAX_KEYS = 10_000;

    /** What a peer did. */
    enum Kind { CONNECTION_LIMIT, HANDSHAKE, LOGIN }

    private record Key(Kind kind, InetAddress address) {
    }

    private static final class Entry {
        final long loggedAtNanos;
        long suppressed;

        Entry(long loggedAtNanos) {
            this.loggedAtNanos = loggedAtNanos;
        }
    }

    private final long intervalNanos;
    private final LongSupplier clock;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    LogThrottle() {
        this(INTERVAL_MILLIS, System::nanoTime);
    }

    LogThrottle(long intervalMillis, LongSupplier clock) {
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.clock = clock;
    }

    /**
     * Asks to log a complaint of {@code kind} about {@code address}.
     *
     * @return -1 to stay silent, or how many complaints of that kind about that address were left out since the
     *         last one logged (0 or more)
     */
    long admit(Kind kind, InetAddress address) {
        long now = clock.getAsLong();
        Key key = new Key(kind, PeerSource.of(address));
        if (entries.size() >= MAX_KEYS && !entries.containsKey(key)) {
            entries.values().removeIf(e -> now - e.loggedAtNanos >= intervalNanos);
            if (entries.size() >= MAX_KEYS) {
                key = new Key(kind, null); // too many addresses at once: they share one line per interval
            }
        }
        long[] result = {-1};
        entries.compute(key, (k, e) -> {
            if (e == null || now - e.loggedAtNanos >= intervalNanos) {
                result[0] = e == null ? 0 : e.suppressed;
                return new Entry(now);
            }
            e.suppressed++;
            return e;
        });
        return result[0];
    }

    /** Logs {@code complaint} at WARN on {@code log} if {@link #admit} allows, saying how many were left out. */
    void warn(Logger log, Kind kind, InetAddress address, String complaint) {
        long suppressed = admit(kind, address);
        if (suppressed >= 0) {
            log.warn("{}{}", complaint, suppressedNote(suppressed));
        }
    }

    /** Text to append to a logged complaint that says how many were left out, or nothing. */
    static String suppressedNote(long suppressed) {
        return suppressed <= 0 ? "" : " (" + suppressed + " more like it from this address not logged; one line per"
                + " address per " + TimeUnit.MILLISECONDS.toSeconds(INTERVAL_MILLIS) + " s)";
    }
}
