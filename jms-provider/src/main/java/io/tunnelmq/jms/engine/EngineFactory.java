package io.tunnelmq.jms.engine;


import java.util.concurrent.CompletableFuture;

/** Opens engine connections. The facade is given one, so tests can substitute a fake engine. */
@FunctionalInterface
public interface EngineFactory {

    /**
     * Connects to the broker named by the options and performs the handshake. The future fails with an
     * {@link EngineException} naming host and port if the broker cannot be reached within the connect
     * timeout, or with the broker's error code if it refuses the handshake.
     *
     * @param options the connection settings, including client ID and credentials (either may be null)
     * @param events  told once when the connection fails after it was established
     */
    CompletableFuture<EngineConnection> connect(EngineOptions options, ConnectionEvents events);
}
