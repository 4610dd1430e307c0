package io.tunnelmq.server.security;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections, in total and per source address (an IPv6 source is its /64: {@link PeerSource}), and
 * refuses one past either limit. Every
 * {@link Admission#ADMITTED} connection must be {@link #release released} exactly once when it closes. Thread-safe:
 * every event loop accepts.
 */
public final class ConnectionLimits {

    /** The answer to a new connection. */
    public enum Admission {
        ADMITTED,
        /** The broker holds its maximum of connections. */
        TOO_MANY_IN_TOTAL,
        /** The source address holds its maximum of connections. */
        TOO_MANY_FROM_ADDRESS
    }

    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    // an address leaves the map with its last connection, so the map is as big as the connections, never bigger
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    public ConnectionLimits(int maxTotal, int maxPerAddress) {
        if (maxTotal <= 0 || maxPerAddress <= 0) {
            throw new IllegalArgumentException("connection limits must be > 0, were " + maxTotal + " and "
                    + maxPerAddress);
        }
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts a new connection from {@code address} if both limits allow it. */
    public Admission admit(InetAddress address) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return Admission.TOO_MANY_IN_TOTAL;
        }
        boolean[] admitted = {false};
        perAddress.compute(PeerSource.of(address), (a, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxPerAddress) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        if (!admitted[0]) {
            total.decrementAndGet();
            return Admission.TOO_MANY_FROM_ADDRESS;
        }
        return Admission.ADMITTED;
    }

    /** Forgets a connection from {@code address} that was admitted. */
    public void release(InetAddress address) {
        perAddress.computeIfPresent(PeerSource.of(address), (a, count) -> count <= 1 ? null : count - 1);
        total.decrementAndGet();
    }

    /** Connections counted now. */
    public int total() {
        return total.get();
    }

    public int maxTotal() {
        return maxTotal;
    }

    public int maxPerAddress() {
        return maxPerAddress;
    }
}
