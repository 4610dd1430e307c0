package io.tunnelmq.jms.transport;

/** The heartbeats of one tunnel, as the engine sees them once they run. Thread-safe. */
public interface Heartbeats {

    /**
     * True while nothing has been read from the peer for two heartbeat intervals or more. The peer counts this side
     * dead after three silent intervals of its own, so a message handed out now might already be the broker's to
     * give to someone else. {@link PeerHeard} is fired when something is read again.
     */
    boolean peerQuiet();
}
