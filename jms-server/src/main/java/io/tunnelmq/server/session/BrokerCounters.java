package io.tunnelmq.server.session;

import java.util.concurrent.atomic.LongAdder;

/**
 * Broker-wide event counts for monitoring that no other state holds. Each is a {@link LongAdder} bumped where its
 * event happens (none per message): cheap from any event loop, summed only when someone looks. Thread-safe.
 */
public final class BrokerCounters {
    private final LongAdder sessions = new LongAdder();
    private final LongAdder sessionsOpened = new LongAdder();
    private final LongAdder sendWindowStalls = new LongAdder();
    private final LongAdder tlsHandshakes = new LongAdder();
    private final LongAdder tlsHandshakeFailures = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder adminDenials = new LongAdder();

    void sessionOpened() {
        sessions.increment();
        sessionsOpened.increment();
    }

    void sessionClosed() {
        sessions.decrement();
    }

    /** A connection's send window closed: the broker granted less than its low-water mark and waits for memory. */
    void sendWindowStalled() {
        sendWindowStalls.increment();
    }

    /** The network layer's hook: a TLS handshake completed. */
    public void tlsHandshakeCompleted() {
        tlsHandshakes.increment();
    }

    /** The network layer's hook: a TLS handshake failed (bad certificate, protocol, plain text on a TLS port). */
    public void tlsHandshakeFailed() {
        tlsHandshakeFailures.increment();
    }

    /** The network layer's hook: a client was refused for its credentials. */
    public void authenticationFailed() {
        authFailures.increment();
    }

    /** Sessions open now. */
    public long sessions() {
        return sessions.sum();
    }

    public long sessionsOpened() {
        return sessionsOpened.sum();
    }

    public long sendWindowStalls() {
        return sendWindowStalls.sum();
    }

    public long tlsHandshakes() {
        return tlsHandshakes.sum();
    }

    public long tlsHandshakeFailures() {
        return tlsHandshakeFailures.sum();
    }

    public long authFailures() {
        return authFailures.sum();
    }

    /** The network layer's hook: an admin request was refused for want of the {@code admin} permission. */
    public void adminDenied() {
        adminDenials.increment();
    }

    /** Admin requests refused for want of the {@code admin} permission. */
    public long adminDenials() {
        return adminDenials.sum();
    }
}
