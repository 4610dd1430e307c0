package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.ConnectionEvents;
import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineFactory;
import io.tunnelmq.jms.engine.EngineOptions;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link EngineFactory} whose connections reconnect: it wraps the factory of single engine connections.
 * (Skeleton: passes through until the failover layer lands.)
 */
public final class FailoverEngineFactory implements EngineFactory {
    private final EngineFactory engines;
    private final FailoverOptions failover;

    public FailoverEngineFactory(EngineFactory engines, FailoverOptions failover) {
        this.engines = Objects.requireNonNull(engines, "engines");
        this.failover = Objects.requireNonNull(failover, "failover");
    }

    @Override
    public CompletableFuture<EngineConnection> connect(EngineOptions options, ConnectionEvents events) {
        return engines.connect(options, events);
    }

    /** The reconnect settings. */
    public FailoverOptions options() {
        return failover;
    }
}
