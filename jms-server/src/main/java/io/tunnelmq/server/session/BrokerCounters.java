package io.tunnelmq.server.session;

import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * Broker-wide event counts for monitoring that no other state holds. Each is a {@link LongAdder} bumped where its
 * event happens (none per message): cheap from any event loop, summed only when someone looks. Also the one figure of
 * the TLS port that monitoring needs and only the network layer knows: when the certificate served expires.
 * Thread-safe.
 */
public final class BrokerCounters {
    private final LongAdder sessions = new LongAdder();
    private final LongAdder sessionsOpened = new LongAdder();
    private final LongAdder sendWindowStalls = new LongAdder();
    private final LongAdder tlsHandshakes = new LongAdder();
    private final LongAdder tlsHandshakeFailures = new LongAdder();
    private final LongAdder tlsReloads = new LongAdder();
    private final LongAdder tlsReloadFailures = new LongAdder();
    /** Epoch seconds when the TLS port's certificate expires; 0 without one. */
    private volatile long tlsCertificateExpiry;
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder loginsOverdue = new LongAdder();
    private final LongAdder accessDenials = new LongAdder();
    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder connectionsDisconnected = new LongAdder();
    private final LongAdder connectionsLost = new LongAdder();
    private final LongAdder adminDenials = new LongAdder();
    private final LongAdder connectionMoves = new LongAdder();

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

    /** The network layer's hook: the TLS port's files changed and its context was made again from them. */
    public void tlsReloaded() {
        tlsReloads.increment();
    }

    /** The network layer's hook: the TLS port's files changed but cannot be used; the context in force stays. */
    public void tlsReloadFailed() {
        tlsReloadFailures.increment();
    }

    /** The network layer's hook: the TLS port serves a certificate that expires at {@code expires} (null: none). */
    public void tlsCertificateServed(Instant expires) {
        tlsCertificateExpiry = expires == null ? 0 : expires.getEpochSecond();
    }

    /** When the TLS port's certificate expires, in seconds since the epoch; 0 without TLS or a certificate. */
    public long tlsCertificateExpiry() {
        return tlsCertificateExpiry;
    }

    /** The network layer's hook: a client was refused for its credentials. */
    public void authenticationFailed() {
        authFailures.increment();
    }

    /**
     * The network layer's hook: a login was not checked, its turn on the login threads having come after its
     * deadline (too many logins at once).
     */
    public void loginOverdue() {
        loginsOverdue.increment();
    }

    /** An operation was refused for want of a permission (send, consume, browse, create, admin). */
    void accessDenied() {
        accessDenials.increment();
    }

    /** The network layer's hook: a client connection completed its handshake. */
    public void connectionOpened() {
        connectionsOpened.increment();
    }

    /** The network layer's hook: an open connection ended with the client's Disconnect. */
    public void connectionDisconnected() {
        connectionsDisconnected.increment();
    }

    /** The network layer's hook: an open connection ended without a Disconnect (network, crash, heartbeat). */
    public void connectionLost() {
        connectionsLost.increment();
    }

    /** The network layer's hook: a connection moved to another event loop (to or from the one it talks to). */
    public void connectionMoved() {
        connectionMoves.increment();
    }

    public long connectionMoves() {
        return connectionMoves.sum();
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

    public long tlsReloads() {
        return tlsReloads.sum();
    }

    public long tlsReloadFailures() {
        return tlsReloadFailures.sum();
    }

    public long authFailures() {
        return authFailures.sum();
    }

    public long loginsOverdue() {
        return loginsOverdue.sum();
    }

    public long accessDenials() {
        return accessDenials.sum();
    }

    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    public long connectionsDisconnected() {
        return connectionsDisconnected.sum();
    }

    public long connectionsLost() {
        return connectionsLost.sum();
    }

    /** The network layer's hook: an admin request was refused for want of the {@code admin} permission. */
    public void adminDenied() {
        accessDenials.increment();
        adminDenials.increment();
    }

    /** Admin requests refused for want of the {@code admin} permission (they count in {@link #accessDenials()} too). */
    public long adminDenials() {
        return adminDenials.sum();
    }
}
