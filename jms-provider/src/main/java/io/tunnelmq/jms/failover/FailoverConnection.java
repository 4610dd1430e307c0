package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.ConnectionEvents;
import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineFactory;
import io.tunnelmq.jms.engine.EngineOptions;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Permission;
import io.tunnelmq.protocol.message.WireDestination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * An engine connection that survives the loss of its broker: it serves the facade through the inner connection of
 * the current {@link Link}; when that is lost it tells the facade ({@code interrupted}), reconnects
 * ({@link Reconnector}), rebuilds sessions, consumers and temporary destinations on the new link
 * ({@link Restore}), resends what the broker may not have stored, runs what the facade asked for meanwhile, and
 * says {@code restored}. It fails only when it gives up.
 *
 * <p>Threading: the state (current link, state, queued operations, sessions, temporaries) is kept by
 * {@link FailoverState} under its lock, which is never held while this class calls an inner connection, the
 * facade's events or listeners, or completes an outer future. The connected path takes no lock: it reads two
 * volatile fields and calls the inner link; an operation that raced with a loss fails there with the loss and is
 * retried after restore. Inner futures complete on the inner event loop; reconnect attempts start on the
 * {@link FailoverTimer} thread. Nothing here blocks.
 */
final class FailoverConnection implements EngineConnection {
    private static final Logger log = LoggerFactory.getLogger(FailoverConnection.class);

    private final FailoverOptions failover;
    private final ConnectionEvents events;
    private final AddressList addresses;
    private final Dialer dialer;
    private final FailoverState state = new FailoverState();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private FailoverConnection(EngineFactory engines, EngineOptions options, FailoverOptions failover,
                               ConnectionEvents events, Random random) {
        this.failover = failover;
        this.events = events;
        this.addresses = new AddressList(failover, random);
        this.dialer = new Dialer(engines, options, this);
    }

    /** Connects to the first address that answers, each tried once; no back-off on a first connect. */
    static CompletableFuture<EngineConnection> connect(EngineFactory engines, EngineOptions options,
                                                       FailoverOptions failover, ConnectionEvents events,
                                                       Random random) {
        FailoverConnection c = new FailoverConnection(engines, options, failover, events, random);
        return c.dialer.round(c.addresses.all(), null).thenApply(link -> c.first(link));
    }

    private EngineConnection first(Link link) {
        state.connected(link);
        addresses.learn(link.inner.peers());
        log.debug("connected to {} ({})", link.address, link.inner.connectionId());
        if (link.inner.isClosed()) {
            linkLost(link, Failures.lostAtOnce(link)); // lost before its events knew the link
        }
        return this;
    }

    // ---- EngineConnection ----

    @Override
    public String connectionId() {
        return state.current().inner.connectionId();
    }

    @Override
    public String brokerVersion() {
        return state.current().inner.brokerVersion();
    }

    @Override
    public int protocolVersion() {
        return state.current().inner.protocolVersion();
    }

    @Override
    public CompletableFuture<EngineSession> openSession(boolean transacted, int ackMode) {
        return retried(link -> link.inner.openSession(transacted, ackMode)
                .thenApply(inner -> register(new FailoverSession(this, transacted, ackMode, link, inner), link)));
    }

    @Override
    public CompletableFuture<Void> createTemporary(WireDestination destination) {
        return retried(link -> link.inner.createTemporary(destination)
                .thenRun(() -> state.temporary(destination, true)));
    }

    @Override
    public CompletableFuture<Void> deleteTemporary(WireDestination destination) {
        return retried(link -> link.inner.deleteTemporary(destination)
                .thenRun(() -> state.temporary(destination, false)));
    }

    @Override
    public boolean accessChecked() {
        return state.current().inner.accessChecked();
    }

    @Override
    public CompletableFuture<Void> checkAccess(WireDestination destination, Permission permission) {
        return retried(link -> link.inner.checkAccess(destination, permission));
    }

    @Override
    public CompletableFuture<Void> close() {
        FailoverState.Ending end = state.close();
        if (end == null) {
            return closed;
        }
        if (end.reconnector() != null) {
            end.reconnector().stop();
        }
        EngineException cause = EngineException.connectionClosed();
        end.ops().forEach(op -> op.fail(cause));
        end.sessions().forEach(FailoverSession::connectionClosed);
        if (end.openLink() != null) {
            end.openLink().inner.close().whenComplete((v, e) -> closed.complete(null));
        } else {
            closed.complete(null); // the link is gone already; an attempt that connects now is closed at once
        }
        return closed;
    }

    @Override
    public boolean isClosed() {
        return state.isOver();
    }

    /** True while down, and while the current broker is quiet. */
    @Override
    public boolean brokerQuiet() {
        return !state.isConnected() || state.current().inner.brokerQuiet();
    }

    @Override
    public List<String> peers() {
        return state.current().inner.peers();
    }

    // ---- for sessions, requests and restore ----

    /** Runs the operation on the current link, or queues it while down, or fails it once the connection is over. */
    void submit(Op op) {
        Link link = state.current();
        if (state.isConnected() && !link.lost) {
            op.run(link); // the connected path: no lock; a loss racing with it comes back through retry()
            return;
        }
        follow(op, state.route(op));
    }

    /** An operation issued on {@code failedOn} was cut by its loss: issues it again after restore. */
    void retry(Op op, Link failedOn) {
        follow(op, state.retry(op, failedOn));
    }

    private static void follow(Op op, FailoverState.Route route) {
        if (route.refused() != null) {
            op.fail(route.refused());
        } else if (route.link() != null) {
            op.run(route.link());
        }
    }

    /** True if the failure is the loss of the link (or the link is gone), not an answer of the broker. */
    boolean isLoss(EngineException cause, Link link) {
        return cause.code() == ErrorCode.CONNECTION_FAILED || link.lost || link.inner.isClosed();
    }

    /** True while the connection is up on this link and restore is over: sends may go straight out. */
    boolean connectedTo(Link link) {
        return state.connectedTo(link);
    }

    void forget(FailoverSession session) {
        state.forget(session);
    }

    // ---- the life of links ----

    /** A link was lost (its events said so, or restore was cut): reconnect, unless that is old news. */
    void linkLost(Link link, EngineException cause) {
        FailoverState.Loss loss = state.lost(link, () -> new Reconnector(this, dialer, addresses, failover));
        if (loss == null) {
            return;
        }
        log.warn("connection to the broker at {} lost, reconnecting: {}", link.address, cause.getMessage());
        if (loss.tellFacade()) {
            tell("interrupted", () -> events.interrupted(cause));
        }
        loss.sessions().forEach(FailoverSession::interrupted);
        loss.reconnector().lost(link, cause);
    }

    /** A reconnect attempt connected: restore on it, unless the connection is no longer waiting for it. */
    void reconnected(Reconnector r, Link link) {
        FailoverState.Rebuild rebuild = state.restoring(r, link);
        if (rebuild == null) {
            link.inner.close(); // closed or given up meanwhile
            return;
        }
        addresses.learn(link.inner.peers());
        log.info("reconnected to {}, restoring {} sessions", link.address, rebuild.sessions().size());
        if (link.inner.isClosed()) {
            linkLost(link, Failures.lostAtOnce(link));
            return;
        }
        new Restore(this, link, rebuild.sessions(), rebuild.temporaries()).run().whenComplete((v, e) -> {
            if (e == null) {
                finishRestore(link);
            } else {
                restoreCut(link, EngineException.unwrap(e));
            }
        });
    }

    private void restoreCut(Link link, EngineException cause) {
        log.debug("restore on {} was cut: {}", link.address, cause.getMessage());
        linkLost(link, cause);
        link.inner.close();
    }

    /** Runs what waited (retries first), then the connection is up again. */
    private void finishRestore(Link link) {
        FailoverState.Resume round = state.resume(link);
        while (round != null && round.waited() != null) {
            round.waited().forEach(op -> op.run(link));
            round = state.resume(link);
        }
        if (round == null) {
            return;
        }
        if (round.reconnector() != null) {
            round.reconnector().stop();
        }
        for (FailoverSession s : round.sessions()) {
            s.flushSends();
            s.consumersNow().forEach(FailoverConsumer::restored);
        }
        log.info("connection restored on {}", link.address);
        tell("restored", () -> {
            events.restored(link.address);
            events.brokerHeardAgain();
        });
    }

    /** The reconnect timeout passed: the connection fails, once, with every operation that waited. */
    void gaveUp(Reconnector r, EngineException cause) {
        FailoverState.Ending end = state.gaveUp(r, cause);
        if (end == null) {
            return;
        }
        log.warn("{}", cause.getMessage());
        end.ops().forEach(op -> op.fail(cause));
        end.sessions().forEach(s -> s.ended(cause));
        tell("connectionFailed", () -> events.connectionFailed(cause));
    }

    void heardAgain(Link link) {
        if (state.connectedTo(link)) {
            events.brokerHeardAgain();
        }
    }

    /** A request issued again after restore if a loss cuts it. */
    private <T> CompletableFuture<T> retried(Function<Link, CompletableFuture<T>> call) {
        Request<T> r = new Request<>(this, call, Request.OnLoss.RETRY, null);
        submit(r);
        return r.future();
    }

    private FailoverSession register(FailoverSession session, Link link) {
        state.register(session, link);
        return session;
    }

    /** Calls the facade's events; a listener that throws must not stop the connection's own work. */
    private static void tell(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("{} listener threw", what, e);
        }
    }

    /** Why nothing can be sent any more (the connection gave up or was closed), or null while it may still be. */
    EngineException over() {
        return isClosed() ? state.refusal() : null;
    }
}
