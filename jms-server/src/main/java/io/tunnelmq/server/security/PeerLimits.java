package io.tunnelmq.server.security;

/**
 * What the broker grants peers before and around login, so that peers who never log in cannot exhaust it.
 *
 * @param maxConnections             connections open at once, all addresses together (default 4096); one more is
 *                                   refused with {@code RESOURCE_EXHAUSTED} and closed
 * @param maxConnectionsPerAddress   connections open at once from one source IP address (default 512)
 * @param handshakeTimeoutMillis     how long after accepting a connection the broker waits for a complete login:
 *                                   an absolute deadline, which bytes trickling in do not extend (default 10 s)
 * @param loginFailureDelayMillis    how long the answer to a user's first failed login from an address is held
 *                                   back; it doubles with every further failure of that user from that address, or
 *                                   of any user once the address fails as several ({@link LoginBackoff}; default
 *                                   100 ms, 0 = off)
 * @param maxLoginFailureDelayMillis the most a failed login's answer is held back (default 5 s)
 * @param largeFrameMemoryBytes      bytes that frames over 64 KiB being received may hold at once, over every
 *                                   connection ({@link FrameMemory}); 0 (the default) = a quarter of the JVM's direct
 *                                   memory, at least two frames of the maximum size
 * @param maxSessionsPerConnection   sessions one connection may have open at once (default 10,000): each costs heap
 *                                   no memory limit counts; one more is refused with {@code RESOURCE_EXHAUSTED}
 * @param maxConsumersPerConnection  consumers one connection may have open at once, over all its sessions (default
 *                                   10,000; each topic consumer is a queue of its own)
 * @param maxTemporariesPerConnection temporary queues and topics one connection may have at once (default 10,000):
 *                                   each is a destination in the broker's registry
 * @param loginCacheMillis           how long a login that passed the users file's password check is remembered, so
 *                                   that the same user and password get in again without the slow check (default
 *                                   60 s; 0 = check every login)
 */
public record PeerLimits(int maxConnections, int maxConnectionsPerAddress, long handshakeTimeoutMillis,
                         long loginFailureDelayMillis, long maxLoginFailureDelayMillis, long largeFrameMemoryBytes,
                         int maxSessionsPerConnection, int maxConsumersPerConnection, int maxTemporariesPerConnection,
                         long loginCacheMillis) {

    /**
     * 4096 connections, 512 per address, 10 s to log in, failed logins answered after 100 ms doubling to 5 s,
     * 10,000 sessions, 10,000 consumers and 10,000 temporary destinations a connection, a passed login remembered
     * for 60 s.
     */
    public static final PeerLimits DEFAULTS = new PeerLimits(4096, 512, 10_000, 100, 5_000, 0, 10_000, 10_000, 10_000,
            PasswordFile.DEFAULT_REMEMBER_MILLIS);

    public PeerLimits {
        if (maxConnections <= 0 || maxConnectionsPerAddress <= 0) {
            throw new IllegalArgumentException("maxConnections and maxConnectionsPerAddress must be > 0, were "
                    + maxConnections + " and " + maxConnectionsPerAddress);
        }
        if (handshakeTimeoutMillis <= 0) {
            throw new IllegalArgumentException("handshakeTimeout must be > 0 ms, was " + handshakeTimeoutMillis);
        }
        if (loginFailureDelayMillis < 0 || maxLoginFailureDelayMillis < loginFailureDelayMillis) {
            throw new IllegalArgumentException("loginFailureDelay must be >= 0 ms and maxLoginFailureDelay at least as"
                    + " long, were " + loginFailureDelayMillis + " and " + maxLoginFailureDelayMillis);
        }
        if (maxSessionsPerConnection <= 0 || maxConsumersPerConnection <= 0 || maxTemporariesPerConnection <= 0) {
            throw new IllegalArgumentException("maxSessionsPerConnection, maxConsumersPerConnection and"
                    + " maxTemporariesPerConnection must be > 0, were " + maxSessionsPerConnection + ", "
                    + maxConsumersPerConnection + " and " + maxTemporariesPerConnection);
        }
        if (loginCacheMillis < 0) {
            throw new IllegalArgumentException("loginCache must be >= 0 ms (0 = check every login), was "
                    + loginCacheMillis);
        }
        if (largeFrameMemoryBytes != 0 && largeFrameMemoryBytes <= FrameMemory.SMALL_FRAME_BYTES) {
            throw new IllegalArgumentException("largeFrameMemory must be 0 (a quarter of the direct memory) or above "
                    + FrameMemory.SMALL_FRAME_BYTES + " bytes, was " + largeFrameMemoryBytes);
        }
    }

    public PeerLimits withMaxConnections(int connections) {
        return new PeerLimits(connections, maxConnectionsPerAddress, handshakeTimeoutMillis, loginFailureDelayMillis,
                maxLoginFailureDelayMillis, largeFrameMemoryBytes, maxSessionsPerConnection, maxConsumersPerConnection,
                maxTemporariesPerConnection, loginCacheMillis);
    }

    public PeerLimits withMaxConnectionsPerAddress(int connections) {
        return new PeerLimits(maxConnections, connections, handshakeTimeoutMillis, loginFailureDelayMillis,
                maxLoginFailureDelayMillis, largeFrameMemoryBytes, maxSessionsPerConnection, maxConsumersPerConnection,
                maxTemporariesPerConnection, loginCacheMillis);
    }

    public PeerLimits withHandshakeTimeoutMillis(long millis) {
        return new PeerLimits(maxConnections, maxConnectionsPerAddress, millis, loginFailureDelayMillis,
                maxLoginFailureDelayMillis, largeFrameMemoryBytes, maxSessionsPerConnection, maxConsumersPerConnection,
                maxTemporariesPerConnection, loginCacheMillis);
    }

    /** A copy whose failed logins are answered after {@code firstMillis}, doubling to at most {@code maxMillis}. */
    public PeerLimits withLoginFailureDelay(long firstMillis, long maxMillis) {
        return new PeerLimits(maxConnections, maxConnectionsPerAddress, handshakeTimeoutMillis, firstMillis, maxMillis,
                largeFrameMemoryBytes, maxSessionsPerConnection, maxConsumersPerConnection,
                maxTemporariesPerConnection, loginCacheMillis);
    }

    /** A copy whose large frames being received may hold {@code bytes} at once (0 = from the direct memory). */
    public PeerLimits withLargeFrameMemory(long bytes) {
        return new PeerLimits(maxConnections, maxConnectionsPerAddress, handshakeTimeoutMillis, loginFailureDelayMillis,
                maxLoginFailureDelayMillis, bytes, maxSessionsPerConnection, maxConsumersPerConnection,
                maxTemporariesPerConnection, loginCacheMillis);
    }

    /** A copy that lets a connection have at most {@code sessions} sessions and {@code consumers} consumers open. */
    public PeerLimits withPerConnection(int sessions, int consumers) {
        return new PeerLimits(maxConnections, maxConnectionsPerAddress, handshakeTimeoutMillis, loginFailureDelayMillis,
                maxLoginFailureDelayMillis, largeFrameMemoryBytes, sessions, consumers, maxTemporariesPerConnection,
                loginCacheMillis);
    }

    /** A copy that lets a connection have at most {@code temporaries} temporary queues and topics at once. */
    public PeerLimits withMaxTemporariesPerConnection(int temporaries) {
        return new PeerLimits(maxConnections, maxConnectionsPerAddress, handshakeTimeoutMillis, loginFailureDelayMillis,
                maxLoginFailureDelayMillis, largeFrameMemoryBytes, maxSessionsPerConnection, maxConsumersPerConnection,
                temporaries, loginCacheMillis);
    }

    /** A copy that remembers a passed login for {@code millis} (0: checks every login). */
    public PeerLimits withLoginCacheMillis(long millis) {
        return new PeerLimits(maxConnections, maxConnectionsPerAddress, handshakeTimeoutMillis, loginFailureDelayMillis,
                maxLoginFailureDelayMillis, largeFrameMemoryBytes, maxSessionsPerConnection, maxConsumersPerConnection,
                maxTemporariesPerConnection, millis);
    }

    /** The large-frame budget these limits give a broker whose frames may be {@code maxFrameSize} bytes. */
    public FrameMemory frameMemory(long maxDirectMemory, int maxFrameSize) {
        return largeFrameMemoryBytes == 0 ? FrameMemory.forDirectMemory(maxDirectMemory, maxFrameSize)
                : new FrameMemory(largeFrameMemoryBytes);
    }
}
