package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.protocol.message.WireDestination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Rebuilds a connection's state on a new link, one step after the other: the temporary destinations (first, so
 * consumers on them can open), each session in creation order with its consumers in creation order, then the
 * sends that wait. A step the broker refuses ends that session or consumer (logged) and restore goes on; a step
 * cut by a loss fails the whole restore, and the connection reconnects again.
 */
final class Restore {
    private static final Logger log = LoggerFactory.getLogger(Restore.class);

    private final FailoverConnection connection;
    private final Link link;
    private final List<FailoverSession> sessions;
    private final List<WireDestination> temporaries;

    Restore(FailoverConnection connection, Link link, List<FailoverSession> sessions,
            List<WireDestination> temporaries) {
        this.connection = connection;
        this.link = link;
        this.sessions = sessions;
        this.temporaries = temporaries;
    }

    /** Completes when every step ran; fails with the loss that cut it. */
    CompletableFuture<Void> run() {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (WireDestination d : temporaries) {
            chain = chain.thenCompose(v -> tolerating(link.inner.createTemporary(d), link, connection,
                    cause -> log.warn("temporary destination {} could not be created again on {}: {}", d.name(),
                            link.address, cause.getMessage())).thenApply(x -> null));
        }
        for (FailoverSession s : sessions) {
            chain = chain.thenCompose(v -> restore(s));
        }
        return chain.thenRun(() -> sessions.forEach(s -> s.resend(link)));
    }

    private CompletableFuture<Void> restore(FailoverSession session) {
        if (session.isClosed()) {
            return CompletableFuture.completedFuture(null);
        }
        return tolerating(link.inner.openSession(session.transacted(), session.ackMode()), link, connection, cause -> {
            log.warn("session {} could not be opened again on {}, so it is closed: {}", session.channel(),
                    link.address, cause.getMessage());
            session.restoreFailed(cause);
        }).thenCompose(inner -> {
            if (inner == null) {
                return CompletableFuture.completedFuture(null);
            }
            if (session.isClosed()) {
                return inner.close().handle((v, e) -> null); // closed by the facade while it was being opened
            }
            session.bind(link, inner);
            return restoreConsumers(session, inner);
        });
    }

    private CompletableFuture<Void> restoreConsumers(FailoverSession session, EngineSession inner) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (FailoverConsumer c : session.consumersNow()) {
            chain = chain.thenCompose(v -> c.restoreOn(link, inner));
        }
        return chain;
    }

    /**
     * The step's value, or null after {@code onRefused} heard a broker error; fails only when the step was cut by
     * the loss of the link.
     */
    static <T> CompletableFuture<T> tolerating(CompletableFuture<T> step, Link link, FailoverConnection connection,
                                               Consumer<EngineException> onRefused) {
        return step.handle((value, error) -> {
            if (error == null) {
                return value;
            }
            EngineException cause = EngineException.unwrap(error);
            if (connection.isLoss(cause, link)) {
                throw cause;
            }
            onRefused.accept(cause);
            return null;
        });
    }
}
