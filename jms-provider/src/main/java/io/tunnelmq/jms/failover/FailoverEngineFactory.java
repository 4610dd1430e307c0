package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.ConnectionEvents;
import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineFactory;
import io.tunnelmq.jms.engine.EngineOptions;

import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link EngineFactory} whose connections reconnect: it wraps the factory of single engine connections (as Qpid
 * JMS's failover provider wraps a transport provider). The host and port of the options given to
 * {@link #connect} are ignored: the connection uses {@link FailoverOptions#addresses()}, tried once each on the
 * first connect; after a loss it reconnects with back-off and restores itself, and tells {@code events} that it
 * was {@linkplain ConnectionEvents#interrupted interrupted} and {@linkplain ConnectionEvents#restored restored};
 * {@link ConnectionEvents#connectionFailed} comes only when it gives up.
 */
public final class FailoverEngineFactory implements EngineFactory {
    private final EngineFactory engines;
    private final FailoverOptions failover;
    private final Random random;

    public FailoverEngineFactory(EngineFactory engines, FailoverOptions failover) {
        this(engines, failover, new Random());
    }

    /** With the random source that orders the addresses of each connection when they are randomized (tests). */
    FailoverEngineFactory(EngineFactory engines, FailoverOptions failover, Random random) {
        this.engines = Objects.requireNonNull(engines, "engines");
        this.failover = Objects.requireNonNull(failover, "failover");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public CompletableFuture<EngineConnection> connect(EngineOptions options, ConnectionEvents events) {
        return FailoverConnection.connect(engines, options, failover, events, random);
    }

    /** The reconnect settings. */
    public FailoverOptions options() {
        return failover;
    }
}
