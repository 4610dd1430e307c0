package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.Browse;
import io.tunnelmq.protocol.frame.Browsed;
import io.tunnelmq.protocol.frame.CloseSession;
import io.tunnelmq.protocol.frame.Commit;
import io.tunnelmq.protocol.frame.Credit;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.ProducerStamp;
import io.tunnelmq.protocol.frame.Revoke;
import io.tunnelmq.protocol.frame.Rollback;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.frame.Unsubscribe;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One session channel. Public operations may be called from any thread: they hop onto the connection's event
 * loop, where all state of the session lives. Operations reach the broker in call order: while a send waits
 * for window, the session's later operations wait behind it (other sessions are not held up).
 */
final class ClientSession implements EngineSession {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private final TunnelClientConnection connection;
    private final int channel;
    private final boolean transacted;
    /** Operations waiting behind a send that waits for window; the head is always such a send. */
    private final Deque<SessionOp> held = new ArrayDeque<>();
    /** Fire-and-forget completions and TAKEN notices waiting for the end of the event-loop turn. */
    private final SettleBatch batch;
    private final ConsumerRouter consumers = new ConsumerRouter(this);
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final LockTracker locks;
    private final LockRenewal renewal;
    /** CloseSession is on its way: later operations are refused, late deliveries dropped. */
    private boolean closing;
    /** Why the session is over, once it is. */
    private EngineException ended;
    /** The broker ended the session with an error frame (rather than the application closing it). */
    private boolean endedByBroker;

    ClientSession(TunnelClientConnection connection, int channel, boolean transacted) {
        this.connection = connection;
        this.channel = channel;
        this.transacted = transacted;
        this.batch = new SettleBatch(this, transacted);
        this.locks = new LockTracker(connection.maxLockRenewalMillis());
        this.renewal = new LockRenewal(this, locks);
    }

    @Override
    public int channel() {
        return channel;
    }

    TunnelClientConnection connection() {
        return connection;
    }

    // ---- operations (any thread) ----

    @Override
    public SendTicket send(WireMessage message, ProducerStamp stamp) {
        Objects.requireNonNull(message, "message");
        SendTicket ticket = new SendTicket(new CompletableFuture<>(), new CompletableFuture<>());
        connection.execute(() -> {
            EngineException refused = refusal();
            if (refused != null) {
                ticket.written().completeExceptionally(refused);
                ticket.confirmed().completeExceptionally(refused);
                return;
            }
            int size = message.sizeEstimate();
            SendScheduler sends = connection.sends();
            if (held.isEmpty() && sends.mayWriteNow(size)) {
                writeSend(message, stamp, size, ticket);
            } else {
                held.addLast(sends.enqueue(this, message, stamp, size, ticket));
            }
        });
        return ticket;
    }

    @Override
    public CompletableFuture<EngineConsumer> createConsumer(ConsumerSpec spec, DeliveryListener listener,
                                                           boolean creditHeld) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(listener, "listener");
        if (spec.durable() && spec.subscriptionName() == null) {
            throw new IllegalArgumentException("a durable consumer needs a subscription name");
        }
        CompletableFuture<EngineConsumer> future = new CompletableFuture<>();
        ordered(future, () -> consumers.open(spec, listener, creditHeld, future));
        return future;
    }

    @Override
    public CompletableFuture<Void> settle(SettleOutcome outcome, long[] lockTokens, String reason, boolean awaitReply) {
        Objects.requireNonNull(outcome, "outcome");
        long[] tokens = Objects.requireNonNull(lockTokens, "lockTokens").clone();
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (tokens.length > 0 && outcome == SettleOutcome.COMPLETE && !awaitReply && reason == null) {
            orderedCompletion(tokens, future);
            return future;
        }
        connection.execute(() -> {
            EngineException refused = refusal();
            if (refused != null) {
                future.completeExceptionally(refused);
                return;
            }
            batch.settling(outcome, tokens); // before the batch is flushed ahead of this settle
            submit(SessionOp.of(() -> {
                if (tokens.length == 0) {
                    future.complete(null); // nothing to settle: no need to bother the broker
                } else {
                    writeSettle(outcome, tokens, reason, awaitReply ? Reply.completing(future) : null, future);
                }
            }, future));
        });
        return future;
    }

    @Override
    public void handedOut(long lockToken) {
        connection.execute(() -> {
            if (refusal() == null) {
                batch.taken(lockToken);
            }
        });
    }

    /**
     * On the event loop: a settle in call order with the session's other operations, written before anything the
     * session writes later (the releases of a revocation or a stop, which a WAITING or SET credit must not
     * overtake).
     *
     * @param reply   the answer's handler, or null for a fire-and-forget settle
     * @param written for a fire-and-forget settle: completes once written; may be null
     */
    void settleInOrder(SettleOutcome outcome, long[] tokens, Reply reply, CompletableFuture<Void> written) {
        EngineException refused = refusal();
        if (refused != null) {
            if (reply != null) {
                reply.failed(refused);
            }
            if (written != null) {
                written.completeExceptionally(refused);
            }
            return;
        }
        batch.settling(outcome, tokens);
        submit(SessionOp.of(() -> writeSettle(outcome, tokens, null, reply, written), cause -> {
            if (reply != null) {
                reply.failed(cause);
            }
            if (written != null) {
                written.completeExceptionally(cause);
            }
        }));
    }

    @Override
    public CompletableFuture<long[]> renewLocks(long[] lockTokens) {
        long[] tokens = Objects.requireNonNull(lockTokens, "lockTokens").clone();
        CompletableFuture<long[]> future = new CompletableFuture<>();
        ordered(future, () -> {
            if (tokens.length == 0) {
                future.complete(new long[0]);
            } else {
                renewal.renew(tokens, future);
            }
        });
        return future;
    }

    @Override
    public long lockedUntil(long lockToken) {
        return locks.lockedUntil(lockToken);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String subscriptionName) {
        Objects.requireNonNull(subscriptionName, "subscriptionName");
        CompletableFuture<Void> future = new CompletableFuture<>();
        ordered(future, () -> connection.request(channel, "Unsubscribe '" + subscriptionName + "' on session "
                + channel, id -> new Unsubscribe(channel, id, subscriptionName), Reply.completing(future)));
        return future;
    }

    @Override
    public CompletableFuture<BrowsePage> browse(WireDestination queue, String selector, int offset, int maxMessages) {
        return browse(queue, selector, 0L, offset, maxMessages);
    }

    @Override
    public CompletableFuture<BrowsePage> browse(WireDestination queue, String selector, long cursor, int offset,
                                                int maxMessages) {
        Objects.requireNonNull(queue, "queue");
        CompletableFuture<BrowsePage> future = new CompletableFuture<>();
        ordered(future, () -> connection.request(channel, "Browse of " + queue + " on session " + channel,
                id -> new Browse(channel, id, queue, selector, offset, maxMessages, cursor), new Reply() {
                    @Override
                    public void ok(Ok ok) {
                        future.complete(new BrowsePage(java.util.List.of(), true));
                    }

                    @Override
                    public void browsed(Browsed page) {
                        future.complete(new BrowsePage(page.messages(), page.last(), page.cursor()));
                    }

                    @Override
                    public void failed(EngineException cause) {
                        future.completeExceptionally(cause);
                    }
                }));
        return future;
    }

    @Override
    public CompletableFuture<Void> commit() {
        return transactionRequest("Commit");
    }

    @Override
    public CompletableFuture<Void> rollback() {
        return transactionRequest("Rollback");
    }

    @Override
    public CompletableFuture<Void> close() {
        if (closeRequested.compareAndSet(false, true)) {
            connection.execute(this::startClose);
        }
        return closed;
    }

    // ---- event loop ----

    /** Runs {@code write} on the event loop in call order, or fails {@code future} if the session is over. */
    private void ordered(CompletableFuture<?> future, Runnable write) {
        connection.execute(() -> {
            EngineException refused = refusal();
            if (refused != null) {
                future.completeExceptionally(refused);
            } else {
                submit(SessionOp.of(write, future));
            }
        });
    }

    /**
     * Writes an ordered operation now, or holds it behind the session's waiting send. Gathered completions and
     * notices are written first, so the broker sees everything in call order.
     */
    private void submit(SessionOp op) {
        if (held.isEmpty()) {
            batch.flush();
            op.write();
        } else {
            held.addLast(op);
        }
    }

    /**
     * A fire-and-forget completion (AUTO_ACKNOWLEDGE, DUPS_OK): gathered with the others of this event-loop turn into
     * one Settle, in call order with the session's other operations.
     */
    private void orderedCompletion(long[] tokens, CompletableFuture<Void> written) {
        connection.execute(() -> {
            EngineException refused = refusal();
            if (refused != null) {
                written.completeExceptionally(refused);
            } else if (held.isEmpty()) {
                gather(tokens, written);
            } else {
                held.addLast(SessionOp.of(() -> gather(tokens, written), written));
            }
        });
    }

    private void gather(long[] tokens, CompletableFuture<Void> written) {
        locks.settling(SettleOutcome.COMPLETE, tokens, transacted);
        batch.complete(tokens, written);
    }

    private CompletableFuture<Void> transactionRequest(String what) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (!transacted) {
            // completed on the loop like every other engine future
            connection.execute(() -> future.completeExceptionally(new EngineException(ErrorCode.ILLEGAL_STATE, what
                    + " is only allowed on a transacted session; session " + channel + " is not transacted")));
            return future;
        }
        Reply done = Reply.completing(future);
        ordered(future, () -> connection.request(channel, what + " on session " + channel,
                id -> what.equals("Commit") ? new Commit(channel, id) : new Rollback(channel, id), new Reply() {
                    @Override
                    public void ok(Ok ok) {
                        locks.transactionEnded();
                        done.ok(ok);
                    }

                    @Override
                    public void failed(EngineException cause) {
                        // rolled back, or unknown after a timeout: the held completions are no longer ours to renew
                        locks.transactionEnded();
                        done.failed(cause);
                    }
                }));
        return future;
    }

    void writeSend(WireMessage message, ProducerStamp stamp, int size, SendTicket ticket) {
        SendScheduler sends = connection.sends();
        sends.sent(size);
        connection.request(channel, "Send to " + message.destination() + " on session " + channel,
                id -> new Send(channel, id, message, stamp), new Reply() {
                    @Override
                    public void written() {
                        ticket.written().complete(null);
                    }

                    @Override
                    public void ok(Ok ok) {
                        ticket.written().complete(null);
                        ticket.confirmed().complete(null);
                        sends.released(size);
                    }

                    @Override
                    public void failed(EngineException cause) {
                        ticket.written().completeExceptionally(cause);
                        ticket.confirmed().completeExceptionally(cause);
                        sends.released(size);
                    }
                });
    }

    /** The window has room for this session's waiting send, which is the head of {@link #held}. */
    void resumeQueued(QueuedSend q) {
        SessionOp head = held.pollFirst();
        if (head != q) {
            throw new IllegalStateException("session " + channel + ": waiting send is not at the head of its session");
        }
        q.write();
        writeUnblocked();
    }

    /** The waiting send gave up (send timeout): fail it and let the operations behind it go. */
    void dropQueued(QueuedSend q, EngineException cause) {
        boolean wasHead = held.peekFirst() == q;
        held.remove(q);
        q.fail(cause);
        if (wasHead) {
            writeUnblocked();
        }
    }

    /** Writes held operations up to the next send that waits for window. */
    private void writeUnblocked() {
        while (!held.isEmpty() && !(held.peekFirst() instanceof QueuedSend)) {
            batch.flush();
            held.pollFirst().write();
        }
    }

    /** Writes a credit of one consumer (flags: {@link Credit#SET}, {@link Credit#WAITING}). */
    void writeCredit(int consumerId, int messages, long bytes, int flags) {
        if (refusal() == null) {
            connection.writeOneWay(new Credit(channel, consumerId, messages, bytes, flags), null);
        }
    }

    /** Releases what the application never saw, then closes the consumer on the broker, in call order. */
    void closeConsumer(ClientConsumer consumer, long[] unseen) {
        if (refusal() != null || !consumer.isLive()) {
            consumer.closeDone(); // the session or the consumer is already gone on the broker
            return;
        }
        consumer.closing();
        submit(SessionOp.of(() -> consumer.writeClose(unseen), cause -> consumer.closeDone()));
    }

    /** The broker no longer knows the consumer: stop routing to it. */
    void forgetConsumer(int consumerId) {
        consumers.forget(consumerId);
    }

    /** The session (or its connection) ended, so nothing of it is left on the broker. */
    boolean isOver() {
        return ended != null || connection.refusal() != null;
    }

    /** A delivery from the broker, for one of this session's consumers. */
    void onDeliver(Deliver d) {
        consumers.deliver(d, closing);
    }

    /**
     * Writes a Settle of this session. Every settlement the session sends takes this path (the facade's, the
     * releases of a closing consumer, of deliveries nobody takes, of revoked messages), so the lock tracker
     * knows which locks the session still holds.
     *
     * @param reply   the answer's handler, or null for a fire-and-forget settle
     * @param written for a fire-and-forget settle: completes once written; may be null
     */
    void writeSettle(SettleOutcome outcome, long[] tokens, String reason, Reply reply, CompletableFuture<Void> written) {
        locks.settling(outcome, tokens, transacted);
        if (reply != null) {
            connection.request(channel, outcome + " of " + tokens.length + " message(s) on session " + channel,
                    id -> new Settle(channel, id, outcome, tokens, reason), reply);
        } else {
            connection.writeOneWay(new Settle(channel, 0, outcome, tokens, reason), written);
        }
    }

    /**
     * A delivery for one of the session's consumers: its lock is tracked (and renewed) from now on.
     *
     * @return the lock's expiry on the client's clock
     */
    long lockDelivered(Deliver d) {
        long lockedUntil = connection.brokerClock().toLocal(d.lockedUntil());
        locks.delivered(d.lockToken(), lockedUntil, System.currentTimeMillis());
        renewal.reschedule();
        return lockedUntil;
    }

    /** The broker revokes prefetched messages of one of this session's consumers. */
    void onRevoke(Revoke revoke) {
        consumers.revoke(revoke, closing);
    }

    private void startClose() {
        if (ended != null || connection.refusal() != null) {
            closed.complete(null);
            return;
        }
        closing = true;
        // the broker abandons every lock on CloseSession: none is ours to renew any more
        renewal.stop();
        locks.clear();
        submit(SessionOp.of(this::writeClose, cause -> closed.complete(null)));
    }

    private void writeClose() {
        connection.request(channel, "CloseSession of session " + channel, id -> new CloseSession(channel, id), new Reply() {
            @Override
            public void ok(Ok ok) {
                end(closedByApplication(), false);
                connection.forgetSession(ClientSession.this, true);
                closed.complete(null);
            }

            @Override
            public void failed(EngineException cause) {
                if (ended != null || connection.refusal() != null) {
                    closed.complete(null); // the session or connection ended first: nothing left to close
                    return;
                }
                end(closedByApplication(), false);
                // after a timeout the broker's view is unknown: keep the number so it cannot collide
                connection.forgetSession(ClientSession.this, cause.code() != ErrorCode.TIMEOUT);
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
        connection.forgetSession(this, true);
        connection.pending().failChannel(channel, cause);
        connection.sends().pump(); // sends of other sessions may have waited behind this one's
    }

    /**
     * The session is over: fails the operations still held, and tells the consumers' listeners (unless the
     * application closed the session itself).
     */
    /** Writes the gathered completions and hand-out notices now (the connection is about to close). */
    void flushSettlements() {
        batch.flush();
    }

    void end(EngineException cause, boolean notifyConsumers) {
        if (ended != null) {
            return;
        }
        ended = cause;
        renewal.stop();
        locks.clear();
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
        List<SessionOp> ops = new ArrayList<>(held);
        held.clear();
        for (SessionOp op : ops) {
            if (op instanceof QueuedSend q) {
                connection.sends().forget(q);
            }
            op.fail(cause);
        }
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

    @Override
    public String toString() {
        return "ClientSession[" + connection.logId() + ", channel " + channel + (transacted ? ", transacted" : "") + "]";
    }
}
