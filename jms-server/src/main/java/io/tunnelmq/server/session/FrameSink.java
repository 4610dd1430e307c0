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
}
