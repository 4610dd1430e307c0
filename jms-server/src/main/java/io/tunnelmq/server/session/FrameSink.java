package io.tunnelmq.server.session;

import io.tunnelmq.protocol.frame.Frame;

/** The way out to one client connection, provided by the network layer. */
public interface FrameSink {

    /** Writes a frame to the client (flushed promptly). Call only on the connection's event loop. */
    void send(Frame frame);

    /**
     * Runs a task on the connection's event loop, after the tasks already queued there. Safe from any thread;
     * the task is dropped if the connection's loop has shut down.
     */
    void execute(Runnable task);

    /**
     * Whether the connection takes writes without queueing them up (its socket keeps pace). Queues stop
     * delivering to a connection that is not, until {@code ClientConnection.writable()} says it is again.
     * Safe from any thread.
     */
    default boolean isWritable() {
        return true;
    }
}
