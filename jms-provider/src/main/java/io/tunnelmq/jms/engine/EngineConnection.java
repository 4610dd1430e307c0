package io.tunnelmq.jms.engine;

import java.util.concurrent.CompletableFuture;

/** One TCP connection to the broker: channel 0 plus one channel per session. */
public interface EngineConnection {

    /** The broker's id for this connection (from the handshake). */
    String connectionId();

    /** The broker's product version (from the handshake). */
    String brokerVersion();

    /** The protocol version agreed in the handshake. */
    int protocolVersion();

    /** Opens a session on a new channel. */
    CompletableFuture<EngineSession> openSession(boolean transacted, int ackMode);

    /**
     * Closes the connection: tells the broker (which abandons every lock of the connection), waits for its
     * answer up to the request timeout, then closes the socket and releases the engine's threads. Idempotent;
     * every later operation fails with {@code ILLEGAL_STATE}.
     */
    CompletableFuture<Void> close();

    /** True once closed or failed. */
    boolean isClosed();
}
