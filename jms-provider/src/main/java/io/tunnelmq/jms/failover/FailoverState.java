package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.message.WireDestination;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where a {@link FailoverConnection} stands: its state, the current link, the reconnector repairing a loss, why it
 * failed, the operations waiting for a link, and the sessions and temporary destinations a new link must be given.
 * All of it changes under this object's lock, one transition per method, and each transition returns what the
 * connection must do about it afterwards.
 *
 * <p>Separate from the connection so that its threading rule is the shape of the code: the lock is held only to
 * read or change this state, never while calling an inner connection, the facade's events or listeners, or
 * completing an outer future, and nothing in this class calls out. The connected path takes no lock: it reads
 * {@link #current()} and {@link #isConnected()}, two volatile fields.
 */
final class FailoverState {

    private enum State { CONNECTING, CONNECTED, RECONNECTING, RESTORING, FAILED, CLOSED }

    /** Where an operation goes: onto {@code link} now, or failed with {@code refused}; neither when it is held. */
    record Route(Link link, EngineException refused) {
        static final Route HELD = new Route(null, null);
    }

    /**
     * What an end leaves the connection to do: close the link that was up ({@code openLink}, or null if it was
     * gone), stop the reconnector (or null), fail the operations that waited and end the sessions.
     */
    record Ending(Link openLink, Reconnector reconnector, List<Op> ops, List<FailoverSession> sessions) {
    }

    /** A loss to repair: whether the facade hears of it (not again in a restore), who reconnects, whom to interrupt. */
    record Loss(boolean tellFacade, Reconnector reconnector, List<FailoverSession> sessions) {
    }

    /** What restore builds again on a new link: the sessions in creation order, the temporary destinations. */
    record Rebuild(List<FailoverSession> sessions, List<WireDestination> temporaries) {
    }

    /**
     * One round at the end of a restore: the operations that waited, to run on the new link now; or, once none is
     * left ({@code waited} null), the connection is up again, with the reconnector to stop and the sessions to resume.
     */
    record Resume(List<Op> waited, Reconnector reconnector, List<FailoverSession> sessions) {
    }

    private final List<FailoverSession> sessions = new ArrayList<>();
    private final Set<WireDestination> temporaries = new LinkedHashSet<>();
    private final WaitingOps waiting = new WaitingOps();
    private volatile State state = State.CONNECTING;
    private volatile Link current;
    private Reconnector reconnector;
    /** Written before {@link #state} becomes FAILED, so a reader that sees FAILED sees it too. */
    private EngineException failure;

    // ---- read without the lock ----

    /** The current link: the first one once connected, the newest one once a reconnect connected. */
    Link current() {
        return current;
    }

    /** Up, and restore (if any) is over. */
    boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** True while the connection is up on this link and restore is over: sends may go straight out. */
    boolean connectedTo(Link link) {
        return state == State.CONNECTED && current == link;
    }

    /** Closed, or gave up. */
    boolean isOver() {
        State s = state;
        return s == State.CLOSED || s == State.FAILED;
    }

    /** Why nothing can run any more: the connection gave up (saying why), or was closed. */
    EngineException refusal() {
        return state == State.FAILED && failure != null ? EngineException.connectionFailed(failure)
                : EngineException.connectionClosed();
    }

    // ---- transitions ----

    /** The first connect succeeded. */
    synchronized void connected(Link link) {
        current = link;
        state = State.CONNECTED;
    }

    /** Where a new operation goes: onto the current link, held until restore while down, or refused once over. */
    synchronized Route route(Op op) {
        return switch (state) {
            case CONNECTED -> new Route(current, null);
            case CONNECTING, RECONNECTING, RESTORING -> {
                waiting.queue(op);
                yield Route.HELD;
            }
            case FAILED, CLOSED -> new Route(null, refusal());
        };
    }

    /** Where an operation cut by the loss of {@code failedOn} goes: as {@link #route}, but ahead of new ones. */
    synchronized Route retry(Op op, Link failedOn) {
        return switch (state) {
            case CONNECTED -> {
                if (current == failedOn || current.lost) {
                    waiting.retry(op); // the loss is not announced yet
                    yield Route.HELD;
                }
                yield new Route(current, null);
            }
            case CONNECTING, RECONNECTING, RESTORING -> {
                waiting.retry(op);
                yield Route.HELD;
            }
            case FAILED, CLOSED -> new Route(null, refusal());
        };
    }

    /** Records a session just opened on {@code link}, to be opened again on every new link. */
    synchronized void register(FailoverSession session, Link link) {
        if (link.lost || current != link) {
            throw new EngineException(ErrorCode.CONNECTION_FAILED, "the connection was lost while the session "
                    + "was being opened");
        }
        sessions.add(session);
    }

    synchronized void forget(FailoverSession session) {
        sessions.remove(session);
    }

    /** Records that a temporary destination exists ({@code live}) or no longer does. */
    synchronized void temporary(WireDestination destination, boolean live) {
        if (live) {
            temporaries.add(destination);
        } else {
            temporaries.remove(destination);
        }
    }

    /**
     * A link was lost: the connection reconnects, with the reconnector of this loss ({@code newReconnector} makes one
     * unless a loss during restore goes on with the one it has). Null when that is old news: the link was known to
     * be lost, is not the current one, or the connection is not up on it.
     */
    synchronized Loss lost(Link link, Supplier<Reconnector> newReconnector) {
        if (link.lost) {
            return null;
        }
        link.lost = true;
        if (link != current) {
            return null;
        }
        boolean tellFacade = false;
        switch (state) {
            case CONNECTED -> tellFacade = true;
            case RESTORING -> tellFacade = false; // the facade knows already
            case CONNECTING, RECONNECTING, FAILED, CLOSED -> {
                return null;
            }
        }
        state = State.RECONNECTING;
        if (reconnector == null) {
            reconnector = newReconnector.get();
        }
        return new Loss(tellFacade, reconnector, new ArrayList<>(sessions));
    }

    /**
     * A reconnect attempt of {@code r} connected: its link becomes current and restore starts. Null when the
     * connection no longer waits for it (closed or given up meanwhile).
     */
    synchronized Rebuild restoring(Reconnector r, Link link) {
        if (state != State.RECONNECTING || reconnector != r) {
            return null;
        }
        current = link;
        state = State.RESTORING;
        return new Rebuild(new ArrayList<>(sessions), new ArrayList<>(temporaries));
    }

    /** The next round at the end of the restore on {@code link}; null when that restore is no longer under way. */
    synchronized Resume resume(Link link) {
        if (state != State.RESTORING || current != link) {
            return null;
        }
        if (!waiting.isEmpty()) {
            return new Resume(waiting.drain(), null, null);
        }
        state = State.CONNECTED;
        Reconnector r = reconnector;
        reconnector = null;
        return new Resume(null, r, new ArrayList<>(sessions));
    }

    /** The reconnector {@code r} gave up: the connection fails, unless it is no longer waiting for {@code r}. */
    synchronized Ending gaveUp(Reconnector r, EngineException cause) {
        if (state != State.RECONNECTING || reconnector != r) {
            return null;
        }
        failure = cause; // before the volatile state: refusal() reads state, then failure, without the lock
        state = State.FAILED;
        reconnector = null;
        return new Ending(null, null, waiting.drain(), takeSessions());
    }

    /** The facade closes the connection; null when it was closed already. */
    synchronized Ending close() {
        if (state == State.CLOSED) {
            return null;
        }
        State before = state;
        state = State.CLOSED;
        Reconnector r = reconnector;
        reconnector = null;
        Link openLink = before == State.CONNECTED || before == State.RESTORING ? current : null;
        return new Ending(openLink, r, waiting.drain(), takeSessions());
    }

    private List<FailoverSession> takeSessions() {
        List<FailoverSession> all = new ArrayList<>(sessions);
        sessions.clear();
        return all;
    }
}
