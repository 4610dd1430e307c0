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

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * An engine connection that survives the loss of its broker: it serves the facade through the inner connection of
 * the current {@link Link}; when that is lost it tells the facade ({@code interrupted}), reconnects
 * ({@link Reconnector}), rebuilds sessions, consumers and temporary destinations on the new link
 * ({@link Restore}), resends what the broker may not have stored, runs what the facade asked for meanwhile, and
 * says {@code restored}. It fails only when it gives up.
 *
 * <p>Threading: the state (current link, state, queued operations, sessions, temporaries) is guarded by one lock
 * per connection, held only to read or change it: never while calling an inner connection, the facade's events or
 * listeners, or completing an outer future. The connected path takes no lock: it reads two volatile fields and
 * calls the inner link; an operation that raced with a loss fails there with the loss and is retried after
 * restore. Inner futures complete on the inner event loop; reconnect attempts start on the {@link FailoverTimer}
 * thread. Nothing here blocks.
 */
final class FailoverConnection implements EngineConnection {
    private static final Logger log = LoggerFactory.getLogger(FailoverConnection.class);

    private enum State { CONNECTING, CONNECTED, RECONNECTING, RESTORING, FAILED, CLOSED }

    private final Object lock = new Object();
    private final FailoverOptions failover;
    private final ConnectionEvents events;
    private final AddressList addresses;
    private final Dialer dialer;
    private final List<FailoverSession> sessions = new ArrayList<>();
    private final Set<WireDestination> temporaries = new LinkedHashSet<>();
    private final WaitingOps waiting = new WaitingOps();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile State state = State.CONNECTING;
    private volatile Link current;
    private Reconnector reconnector;
    private EngineException failure;

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
        synchronized (lock) {
            current = link;
            state = State.CONNECTED;
        }
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
        return current.inner.connectionId();
    }

    @Override
    public String brokerVersion() {
        return current.inner.brokerVersion();
    }

    @Override
    public int protocolVersion() {
        return current.inner.protocolVersion();
    }

    @Override
    public CompletableFuture<EngineSession> openSession(boolean transacted, int ackMode) {
        return retried(link -> link.inner.openSession(transacted, ackMode)
                .thenApply(inner -> register(new FailoverSession(this, transacted, ackMode, link, inner), link)));
    }

    @Override
    public CompletableFuture<Void> createTemporary(WireDestination destination) {
        return retried(link -> link.inner.createTemporary(destination).thenRun(() -> temporary(destination, true)));
    }

    @Override
    public CompletableFuture<Void> deleteTemporary(WireDestination destination) {
        return retried(link -> link.inner.deleteTemporary(destination).thenRun(() -> temporary(destination, false)));
    }

    @Override
    public boolean accessChecked() {
        return current.inner.accessChecked();
    }

    @Override
    public CompletableFuture<Void> checkAccess(WireDestination destination, Permission permission) {
        return retried(link -> link.inner.checkAccess(destination, permission));
    }

    @Override
    public CompletableFuture<Void> close() {
        State before;
        Link link;
        Reconnector r;
        List<Op> ops;
        List<FailoverSession> all;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return closed;
            }
            before = state;
            state = State.CLOSED;
            link = current;
            r = reconnector;
            reconnector = null;
            ops = waiting.drain();
            all = new ArrayList<>(sessions);
            sessions.clear();
        }
        if (r != null) {
            r.stop();
        }
        EngineException cause = Failures.closed();
        ops.forEach(op -> op.fail(cause));
        all.forEach(FailoverSession::connectionClosed);
        if ((before == State.CONNECTED || before == State.RESTORING) && link != null) {
            link.inner.close().whenComplete((v, e) -> closed.complete(null));
        } else {
            closed.complete(null); // the link is gone already; an attempt that connects now is closed at once
        }
        return closed;
    }

    @Override
    public boolean isClosed() {
        State s = state;
        return s == State.CLOSED || s == State.FAILED;
    }

    /** True while down, and while the current broker is quiet. */
    @Override
    public boolean brokerQuiet() {
        return state != State.CONNECTED || current.inner.brokerQuiet();
    }

    @Override
    public List<String> peers() {
        return current.inner.peers();
    }

    // ---- for sessions, requests and restore ----

    /** Runs the operation on the current link, or queues it while down, or fails it once the connection is over. */
    void submit(Op op) {
        Link link = current;
        if (state == State.CONNECTED && !link.lost) {
            op.run(link); // the connected path: no lock; a loss racing with it comes back through retry()
            return;
        }
        EngineException refused = null;
        synchronized (lock) {
            switch (state) {
                case CONNECTED -> link = current;
                case CONNECTING, RECONNECTING, RESTORING -> {
                    waiting.queue(op);
                    return;
                }
                case FAILED, CLOSED -> refused = refusal();
            }
        }
        if (refused != null) {
            op.fail(refused);
        } else {
            op.run(link);
        }
    }

    /** An operation issued on {@code failedOn} was cut by its loss: issues it again after restore. */
    void retry(Op op, Link failedOn) {
        Link now = null;
        EngineException refused = null;
        synchronized (lock) {
            switch (state) {
                case CONNECTED -> {
                    now = current;
                    if (now == failedOn || now.lost) {
                        waiting.retry(op); // the loss is not announced yet
                        return;
                    }
                }
                case CONNECTING, RECONNECTING, RESTORING -> {
                    waiting.retry(op);
                    return;
                }
                case FAILED, CLOSED -> refused = refusal();
            }
        }
        if (refused != null) {
            op.fail(refused);
        } else {
            op.run(now);
        }
    }

    /** True if the failure is the loss of the link (or the link is gone), not an answer of the broker. */
    boolean isLoss(EngineException cause, Link link) {
        return cause.code() == ErrorCode.CONNECTION_FAILED || link.lost || link.inner.isClosed();
    }

    /** True while the connection is up on this link and restore is over: sends may go straight out. */
    boolean connectedTo(Link link) {
        return state == State.CONNECTED && current == link;
    }

    void forget(FailoverSession session) {
        synchronized (lock) {
            sessions.remove(session);
        }
    }

    // ---- the life of links ----

    /** A link was lost (its events said so, or restore was cut): reconnect, unless that is old news. */
    void linkLost(Link link, EngineException cause) {
        boolean tellFacade = false;
        Reconnector r;
        List<FailoverSession> all;
        synchronized (lock) {
            if (link.lost) {
                return;
            }
            link.lost = true;
            if (link != current) {
                return;
            }
            switch (state) {
                case CONNECTED -> tellFacade = true;
                case RESTORING -> tellFacade = false; // the facade knows already
                case CONNECTING, RECONNECTING, FAILED, CLOSED -> {
                    return;
                }
            }
            state = State.RECONNECTING;
            if (reconnector == null) {
                reconnector = new Reconnector(this, dialer, addresses, failover);
            }
            r = reconnector;
            all = new ArrayList<>(sessions);
        }
        log.warn("connection to the broker at {} lost, reconnecting: {}", link.address, cause.getMessage());
        if (tellFacade) {
            tell("interrupted", () -> events.interrupted(cause));
        }
        all.forEach(FailoverSession::interrupted);
        r.lost(link, cause);
    }

    /** A reconnect attempt connected: restore on it, unless the connection is no longer waiting for it. */
    void reconnected(Reconnector r, Link link) {
        List<FailoverSession> all;
        List<WireDestination> temps;
        synchronized (lock) {
            if (state != State.RECONNECTING || reconnector != r) {
                all = null;
                temps = null;
            } else {
                current = link;
                state = State.RESTORING;
                all = new ArrayList<>(sessions);
                temps = new ArrayList<>(temporaries);
            }
        }
        if (all == null) {
            link.inner.close(); // closed or given up meanwhile
            return;
        }
        addresses.learn(link.inner.peers());
        log.info("reconnected to {}, restoring {} sessions", link.address, all.size());
        if (link.inner.isClosed()) {
            linkLost(link, Failures.lostAtOnce(link));
            return;
        }
        new Restore(this, link, all, temps).run().whenComplete((v, e) -> {
            if (e == null) {
                finishRestore(link);
            } else {
                restoreCut(link, Failures.unwrap(e));
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
        Reconnector r;
        List<FailoverSession> all;
        while (true) {
            List<Op> batch;
            synchronized (lock) {
                if (state != State.RESTORING || current != link) {
                    return;
                }
                if (waiting.isEmpty()) {
                    state = State.CONNECTED;
                    r = reconnector;
                    reconnector = null;
                    all = new ArrayList<>(sessions);
                    break;
                }
                batch = waiting.drain();
            }
            batch.forEach(op -> op.run(link));
        }
        if (r != null) {
            r.stop();
        }
        for (FailoverSession s : all) {
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
        List<Op> ops;
        List<FailoverSession> all;
        synchronized (lock) {
            if (state != State.RECONNECTING || reconnector != r) {
                return;
            }
            state = State.FAILED;
            failure = cause;
            reconnector = null;
            ops = waiting.drain();
            all = new ArrayList<>(sessions);
            sessions.clear();
        }
        log.warn("{}", cause.getMessage());
        ops.forEach(op -> op.fail(cause));
        all.forEach(s -> s.ended(cause));
        tell("connectionFailed", () -> events.connectionFailed(cause));
    }

    void heardAgain(Link link) {
        if (state == State.CONNECTED && current == link) {
            events.brokerHeardAgain();
        }
    }

    /** A request issued again after restore if a loss cuts it. */
    private <T> CompletableFuture<T> retried(Function<Link, CompletableFuture<T>> call) {
        Request<T> r = new Request<>(this, call, Request.OnLoss.RETRY, null);
        submit(r);
        return r.future();
    }

    /** The temporary destinations to create again on a new link. */
    private void temporary(WireDestination destination, boolean live) {
        synchronized (lock) {
            if (live) {
                temporaries.add(destination);
            } else {
                temporaries.remove(destination);
            }
        }
    }

    private FailoverSession register(FailoverSession session, Link link) {
        synchronized (lock) {
            if (link.lost || current != link) {
                throw new EngineException(ErrorCode.CONNECTION_FAILED, "the connection was lost while the session "
                        + "was being opened");
            }
            sessions.add(session);
        }
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
        return isClosed() ? refusal() : null;
    }

    private EngineException refusal() {
        return state == State.FAILED && failure != null ? Failures.failed(failure) : Failures.closed();
    }
}
