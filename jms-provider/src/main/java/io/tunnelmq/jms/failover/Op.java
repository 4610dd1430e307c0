package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.EngineException;

/**
 * An operation of the facade that the failover connection runs on the current link at once, or queues while the
 * connection is down and runs after restore, or fails when it gives up or is closed.
 */
abstract class Op {

    /** Issues the operation on the link (never blocks). */
    abstract void run(Link link);

    /** The connection gave up or was closed before the operation could run. */
    abstract void fail(EngineException cause);
}
