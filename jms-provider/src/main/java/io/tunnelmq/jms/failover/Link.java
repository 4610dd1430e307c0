package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.EngineConnection;

/**
 * One generation of a failover connection: the inner engine connection to one broker, from its handshake until it
 * is lost. Lock tokens, sessions and consumers of a generation are worth nothing on another one.
 */
final class Link {
    final long number;
    final String address;
    final EngineConnection inner;
    /** Set once, under the {@link FailoverState} lock, when the connection learns this link is gone. */
    volatile boolean lost;

    Link(long number, String address, EngineConnection inner) {
        this.number = number;
        this.address = address;
        this.inner = inner;
    }

    /** True while work may still be issued on this link. */
    boolean usable() {
        return !lost && !inner.isClosed();
    }

    @Override
    public String toString() {
        return "link " + number + " to " + address;
    }
}
