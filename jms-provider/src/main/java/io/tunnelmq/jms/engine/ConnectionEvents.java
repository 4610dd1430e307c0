package io.tunnelmq.jms.engine;

/** What the engine tells the facade about a connection without being asked. */
@FunctionalInterface
public interface ConnectionEvents {

    /**
     * The connection failed after it was established: the broker sent a connection-level error, the socket
     * closed or broke, or heartbeats stopped. Called at most once, never after a {@code close()} the facade
     * asked for, on an engine thread (the facade moves user code elsewhere). By then every pending future of
     * the connection has failed with the same cause.
     */
    void connectionFailed(EngineException cause);

    /**
     * The broker was quiet ({@link EngineConnection#brokerQuiet()}) and something was read from it again: buffered
     * messages may be handed out again. On an engine thread; must not block.
     */
    default void brokerHeardAgain() {
    }

    /**
     * The connection lost its broker and is re-establishing itself (only a reconnecting connection says so; a plain
     * one fails with {@link #connectionFailed}). Operations issued meanwhile wait; locks of the lost connection are
     * gone. On an engine thread; must not block.
     */
    default void interrupted(EngineException cause) {
    }

    /**
     * The connection is established again, to the broker at {@code brokerAddress} ({@code host:port}), with its
     * sessions and consumers restored. On an engine thread; must not block.
     */
    default void restored(String brokerAddress) {
    }
}
