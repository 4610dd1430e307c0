package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.CloseSession;
import io.tunnelmq.protocol.frame.Ok;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A session's life: open; closing (its CloseSession is on its way: later operations are refused, late deliveries
 * dropped); over, closed by the application, ended by the broker (an error frame without request id) or with its
 * connection. Says why an operation cannot run ({@link #refusal()}) and, when the session is over, fails what it
 * still held and ends its consumers. On the connection's event loop, but {@link #close()}.
 */
final class SessionLifecycle {
    private final ClientSession session;
    private final TunnelClientConnection connection;
    private final int channel;
    private final HeldOperations held;
    private final SessionLocks locks;
    private final ConsumerRouter consumers;
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** CloseSession is on its way: later operations are refused, late deliveries dropped. */
    private boolean closing;
    /** Why the session is over, once it is. */
    private EngineException ended;
    /** The broker ended the session with an error frame (rather than the application closing it). */
    private boolean endedByBroker;

    SessionLifecycle(ClientSession session, TunnelClientConnection connection, HeldOperations held,
                     SessionLocks locks, ConsumerRouter consumers) {
        this.session = session;
        this.connection = connection;
        this.channel = session.channel();
        this.held = held;
        this.locks = locks;
        this.consumers = consumers;
    }

    /** The application closes the session: once, from any thread; completes when the broker has closed it. */
    CompletableFuture<Void> close() {
        if (closeRequested.compareAndSet(false, true)) {
            session.execute(this::startClose);
        }
        return closed;
    }

    /** CloseSession is on its way or the session is over. */
    boolean closing() {
        return closing;
    }

    /** The session (or its connection) ended, so nothing of it is left on the broker. */
    boolean isOver() {
        return ended != null || connection.refusal() != null;
    }

    private void startClose() {
        if (isOver()) {
            closed.complete(null);
            return;
        }
        closing = true;
        // the broker abandons every lock on CloseSession: none is ours to renew any more
        locks.dropAll();
        held.submit(SessionOp.of(this::writeClose, cause -> closed.complete(null)));
    }

    private void writeClose() {
        connection.request(channel, "CloseSession of session " + channel, id -> new CloseSession(channel, id), new Reply() {
            @Override
            public void ok(Ok ok) {
                end(closedByApplication(), false);
                connection.forgetSession(session, true);
                closed.complete(null);
            }

            @Override
            public void failed(EngineException cause) {
                if (isOver()) {
                    closed.complete(null); // the session or connection ended first: nothing left to close
                    return;
                }
                end(closedByApplication(), false);
                // after a timeout the broker's view is unknown: keep the number so it cannot collide
                connection.forgetSession(session, cause.code() != ErrorCode.TIMEOUT);
                closed.completeExceptionally(cause);
            }
        });
    }

    /**
     * The broker ended this session (an error frame without request id): everything pending on it fails,
     * the consumers' listeners are told, and the channel number is free again.
     */
    void endedByBroker(EngineException cause) {
        if (ended != null) {
            return;
        }
        endedByBroker = true;
        end(cause, true);
        connection.forgetSession(session, true);
        connection.pending().failChannel(channel, cause);
        connection.sends().pump(); // sends of other sessions may have waited behind this one's
    }

    /**
     * The session is over: fails the operations still held, and tells the consumers' listeners (unless the
     * application closed the session itself).
     */
    void end(EngineException cause, boolean notifyConsumers) {
        if (ended != null) {
            return;
        }
        ended = cause;
        locks.dropAll();
        failHeld(cause);
        for (ClientConsumer c : consumers.takeAll()) {
            if (notifyConsumers) {
                c.ended(cause);
            } else {
                c.closeDone();
            }
        }
    }

    /** Fails the operations that wait behind a send for window; they will never be written. */
    void failHeld(EngineException cause) {
        held.failAll(cause, connection.sends());
    }

    /** Why an operation cannot run now, or null if it can. */
    EngineException refusal() {
        EngineException connectionRefusal = connection.refusal();
        if (connectionRefusal != null) {
            return connectionRefusal;
        }
        if (endedByBroker) {
            return new EngineException(ErrorCode.ILLEGAL_STATE, "session " + channel + " is closed: the broker ended it ("
                    + ended.code() + ": " + ended.getMessage() + ")", ended);
        }
        if (ended != null || closing) {
            return closedByApplication();
        }
        return null;
    }

    private EngineException closedByApplication() {
        return new EngineException(ErrorCode.ILLEGAL_STATE, "session " + channel + " is closed");
    }
}
