package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.BrowsePage;
import io.tunnelmq.jms.engine.ConsumerSpec;
import io.tunnelmq.jms.engine.DeliveryListener;
import io.tunnelmq.jms.engine.EngineConsumer;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.jms.engine.LockOutcome;
import io.tunnelmq.jms.engine.SendListener;
import io.tunnelmq.jms.engine.SendTicket;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A session of a failover connection: serves the facade through the inner session of the current link, and is
 * opened again (with its consumers) on every new link. Lock tokens are translated ({@link LockTokens}); tokens of
 * a lost link are dead: settling them fails naming them, notices about them are dropped. A transaction that did
 * work on a lost link rolls back at its next commit, which says so; a commit cut by a loss finds out whether the
 * broker applied it ({@link CommitRequest}).
 *
 * <p>Thread-safe without a lock of its own on the hot paths (send, settle, hand-out read one volatile binding);
 * the consumer list is guarded by its own monitor, sends by {@link OutstandingSends}.
 */
final class FailoverSession implements EngineSession {
    private final FailoverConnection connection;
    private final boolean transacted;
    private final int ackMode;
    private final int channel;
    private final OutstandingSends sends = new OutstandingSends(this);
    private final List<FailoverConsumer> consumers = new ArrayList<>();
    private final SessionLocks locks;
    private volatile Bound<EngineSession> bound;
    private volatile boolean closed;
    /** Why the session could not be opened again after a loss (it is gone), or null. */
    private volatile EngineException broken;
    /** The current transaction did work (send, hand-out, settle) since its last commit or rollback. */
    private volatile boolean transactionWork;
    /** The current transaction did work on a link that was lost: its commit must roll back. */
    private volatile boolean transactionLost;
    /** With {@link #transactionNumbers}: the ids of this session's commits, so a cut one can be asked about. */
    private final UUID transactionSession = UUID.randomUUID();
    private final AtomicLong transactionNumbers = new AtomicLong();

    FailoverSession(FailoverConnection connection, boolean transacted, int ackMode, Link link, EngineSession inner) {
        this.connection = connection;
        this.transacted = transacted;
        this.ackMode = ackMode;
        this.channel = inner.channel();
        this.bound = new Bound<>(link, inner);
        this.locks = new SessionLocks(connection);
    }

    FailoverConnection connection() {
        return connection;
    }

    // ---- EngineSession ----

    /** The channel of the first link (stable for the facade's logs). */
    @Override
    public int channel() {
        return channel;
    }

    @Override
    public SendTicket send(WireMessage message, ProducerStamp stamp) {
        markTransactionWork();
        return sends.send(message, stamp);
    }

    @Override
    public CompletableFuture<EngineConsumer> createConsumer(ConsumerSpec spec, DeliveryListener listener,
                                                            boolean creditHeld) {
        FailoverConsumer consumer = new FailoverConsumer(this, spec, listener, creditHeld);
        Request<EngineConsumer> request = new Request<>(connection, link -> inner(link)
                .createConsumer(spec, new ConsumerLink(consumer, link), consumer.stopped())
                .thenApply(inner -> register(consumer, link, inner)), Request.OnLoss.RETRY, null);
        connection.submit(request);
        return request.future();
    }

    @Override
    public CompletableFuture<Void> settle(LockOutcome outcome, long[] lockTokens, String reason, boolean awaitReply) {
        if (SessionLocks.seenByApplication(outcome)) {
            markTransactionWork();
        }
        return locks.settle(bound, outcome, lockTokens, reason, awaitReply);
    }

    @Override
    public void completeUnanswered(long[] lockTokens) {
        locks.completeUnanswered(bound, lockTokens); // never transacted: no transaction work to mark
    }

    @Override
    public void sendUnanswered(WireMessage message, SendListener listener) {
        markTransactionWork();
        sends.send(message, null, listener, !transacted);
    }

    @Override
    public EngineException takeFailedSends() {
        Bound<EngineSession> b = bound;
        return b == null ? null : b.inner().takeFailedSends(); // refusals on a lost link went with it
    }

    @Override
    public EngineException takeFailedCompletions() {
        return locks.takeFailedCompletions(bound);
    }

    @Override
    public void handedOut(long lockToken) {
        markTransactionWork();
        locks.handedOut(bound, lockToken);
    }

    @Override
    public void dropped(long lockToken) {
        locks.dropped(lockToken);
    }

    /** A send, hand-out or settlement of a transacted session: the current transaction did work. */
    private void markTransactionWork() {
        if (transacted) {
            transactionWork = true;
        }
    }

    @Override
    public CompletableFuture<long[]> renewLocks(long[] lockTokens) {
        return locks.renew(bound, lockTokens);
    }

    @Override
    public long lockedUntil(long lockToken) {
        return SessionLocks.lockedUntil(bound, lockToken);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String subscriptionName) {
        return request(link -> inner(link).unsubscribe(subscriptionName), Request.OnLoss.RETRY);
    }

    @Override
    public CompletableFuture<BrowsePage> browse(WireDestination queue, String selector, int offset, int maxMessages) {
        return request(link -> inner(link).browse(queue, selector, offset, maxMessages), Request.OnLoss.RETRY);
    }

    @Override
    public CompletableFuture<BrowsePage> browse(WireDestination queue, String selector, long cursor, int offset,
                                                int maxMessages) {
        return request(link -> inner(link).browse(queue, selector, cursor, offset, maxMessages), Request.OnLoss.RETRY);
    }

    /** Commits with the next transaction id of this session; a commit cut by a loss asks for its outcome. */
    @Override
    public CompletableFuture<Void> commit() {
        CommitRequest request = new CommitRequest(this, new ProducerStamp(transactionSession,
                transactionNumbers.incrementAndGet()));
        connection.submit(request);
        return request.future();
    }

    @Override
    public CompletableFuture<Void> commit(ProducerStamp transactionId) {
        return commit(); // the failover session numbers its transactions itself
    }

    @Override
    public CompletableFuture<Void> rollback() {
        return request(link -> {
            clearTransaction();
            return inner(link).rollback();
        }, Request.OnLoss.COMPLETE);
    }

    @Override
    public CompletableFuture<Void> close() {
        closed = true;
        connection.forget(this);
        List<FailoverConsumer> all;
        synchronized (consumers) {
            all = new ArrayList<>(consumers);
            consumers.clear();
        }
        all.forEach(FailoverConsumer::sessionClosed);
        Bound<EngineSession> b = bound;
        if (!b.live()) {
            // the broker dropped the session with its link; sends waiting for a new link will never go
            sends.failAll(Failures.sessionClosed());
            return CompletableFuture.completedFuture(null);
        }
        return b.inner().close().handle((v, e) -> {
            if (e != null && !connection.isLoss(EngineException.unwrap(e), b.link())) {
                throw EngineException.unwrap(e);
            }
            return null;
        });
    }

    // ---- for the connection, its consumers and restore ----

    /** The binding to write a send to now, or null while the connection is down or restoring. */
    Bound<EngineSession> sendable() {
        Bound<EngineSession> b = bound;
        return b.live() && connection.connectedTo(b.link()) ? b : null;
    }

    /**
     * Why this session can send nothing any more (closed, not restorable, or its connection gave up or closed), or
     * null while a send may still go, now or once the connection is restored.
     */
    EngineException over() {
        EngineException connectionOver = connection.over();
        if (connectionOver != null) {
            return connectionOver;
        }
        if (closed) {
            return Failures.sessionClosed();
        }
        return broken;
    }

    /** Writes the sends that waited, if the connection is up. */
    void flushSends() {
        Bound<EngineSession> b = sendable();
        if (b != null) {
            sends.resend(b);
        }
    }

    /** Restore's step: resends the unconfirmed sends and those issued while down on the new link. */
    void resend(Link link) {
        Bound<EngineSession> b = bound;
        if (b.link() == link) {
            sends.resend(b);
        }
    }

    /** The link was lost: its locks are gone, and so is a transaction that did work on it. */
    void interrupted() {
        if (transacted && transactionWork) {
            transactionLost = true;
        }
        transactionWork = false;
        locks.clear(bound);
        consumersNow().forEach(FailoverConsumer::interrupted);
    }

    /** The connection gave up: every send fails, every consumer ends. */
    void ended(EngineException cause) {
        closed = true;
        sends.failAll(cause);
        consumersNow().forEach(c -> c.ended(cause));
    }

    /** The connection was closed by the application: sends still waiting fail; consumers end quietly. */
    void connectionClosed() {
        closed = true;
        sends.failAll(EngineException.connectionClosed());
    }

    boolean isClosed() {
        return closed;
    }

    boolean transacted() {
        return transacted;
    }

    int ackMode() {
        return ackMode;
    }

    /** Binds the session to a new link (restore opened it there). */
    void bind(Link link, EngineSession inner) {
        bound = new Bound<>(link, inner);
        broken = null;
    }

    /** Restore could not open the session again (a broker error): it is gone, and so are its consumers. */
    void restoreFailed(EngineException cause) {
        broken = cause;
        consumersNow().forEach(c -> c.ended(cause));
        sends.failAll(cause);
    }

    List<FailoverConsumer> consumersNow() {
        synchronized (consumers) {
            return new ArrayList<>(consumers);
        }
    }

    void forget(FailoverConsumer consumer) {
        synchronized (consumers) {
            consumers.remove(consumer);
        }
    }

    /** The locks this session's consumers were given on the current link. */
    SessionLocks locks() {
        return locks;
    }

    /** The inner session on this link, or why there is none. */
    EngineSession inner(Link link) {
        Bound<EngineSession> b = bound;
        if (b.link() == link) {
            return b.inner();
        }
        if (closed) {
            throw Failures.sessionClosed();
        }
        EngineException why = broken;
        if (why != null) {
            throw new EngineException(ErrorCode.ILLEGAL_STATE, "session " + channel + " is closed: it could not be "
                    + "opened again after the connection was lost (" + why.getMessage() + ")", why);
        }
        throw new EngineException(ErrorCode.ILLEGAL_STATE, "session " + channel + " is not open on " + link);
    }

    private EngineConsumer register(FailoverConsumer consumer, Link link, EngineConsumer inner) {
        synchronized (consumers) {
            if (link.lost) {
                // opened on a link lost meanwhile: restore did not see it, so open it again after restore
                throw new EngineException(ErrorCode.CONNECTION_FAILED, "the connection was lost while the consumer "
                        + "was being opened");
            }
            consumer.bind(link, inner);
            consumers.add(consumer);
        }
        return consumer;
    }

    private <T> CompletableFuture<T> request(Function<Link, CompletableFuture<T>> call,
                                             Request.OnLoss onLoss) {
        Request<T> request = new Request<>(connection, call, onLoss, null);
        connection.submit(request);
        return request.future();
    }

    /** The current transaction did work on a link that was lost. */
    boolean transactionLost() {
        return transactionLost;
    }

    /** The transaction ended (committed, rolled back, or its outcome settled otherwise): the next starts clean. */
    void clearTransaction() {
        transactionLost = false;
        transactionWork = false;
    }
}
