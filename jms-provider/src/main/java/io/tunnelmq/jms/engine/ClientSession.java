package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.frame.Credit;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Revoke;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One session channel. Public operations may be called from any thread: they hop onto the connection's event
 * loop, where all state of the session lives. Operations reach the broker in call order: while a send waits
 * for window, the session's later operations wait behind it (other sessions are not held up).
 *
 * <p>This class is the session's entry points; the work is done by its parts: {@link SessionLifecycle} (open,
 * closing, ended by the application or the broker, and why an operation is refused), {@link SessionHandOver} (the
 * application's threads' work to the event loop, in call order), {@link HeldOperations} (call order behind a waiting
 * send), {@link SessionSettlements} (every Settle, with {@link SettleBatch} gathering one turn's fire-and-forget
 * ones), {@link ConsumerRouter} (consumers, deliveries, revocations), {@link SessionLocks} (lock tracking and
 * renewal), {@link SessionSends} (sends, answered or not), {@link SessionTransactions} (commit and rollback) and
 * {@link SessionRequests} (other requests and their answers).
 */
final class ClientSession implements EngineSession {

    private final TunnelClientConnection connection;
    private final int channel;
    private final boolean transacted;
    private final HeldOperations held;
    private final ConsumerRouter consumers = new ConsumerRouter(this);
    private final SessionLocks locks;
    private final SessionRequests requests;
    private final SessionHandOver handOver;
    private final SessionSettlements settlements;
    private final SessionSends sends;
    private final SessionTransactions transactions;
    private final SessionLifecycle lifecycle;

    ClientSession(TunnelClientConnection connection, int channel, boolean transacted) {
        this.connection = connection;
        this.channel = channel;
        this.transacted = transacted;
        // fire-and-forget completions and TAKEN notices wait for the end of the event-loop turn
        SettleBatch batch = new SettleBatch(this, transacted);
        this.held = new HeldOperations(channel, batch);
        this.locks = new SessionLocks(this);
        this.requests = new SessionRequests(connection, channel, locks);
        this.settlements = new SessionSettlements(this, batch, held, locks);
        this.sends = new SessionSends(this, connection, held, channel);
        this.handOver = new SessionHandOver(connection::execute, handed -> {
            settlements.takeHandedOver(handed);
            sends.takeHandedOver(handed);
        });
        this.transactions = new SessionTransactions(this, requests);
        this.lifecycle = new SessionLifecycle(this, connection, held, locks, consumers);
    }

    @Override
    public int channel() {
        return channel;
    }

    TunnelClientConnection connection() {
        return connection;
    }

    boolean isTransacted() {
        return transacted;
    }

    /** How the application's threads hand this session's work to the event loop. */
    SessionHandOver handOver() {
        return handOver;
    }

    /** Where every Settle of this session goes through. */
    SessionSettlements settlements() {
        return settlements;
    }

    /** Submits a task of this session to the event loop, in call order with its other operations; any thread. */
    void execute(Runnable task) {
        handOver.execute(task);
    }

    // ---- operations (any thread) ----

    @Override
    public SendTicket send(WireMessage message, ProducerStamp stamp) {
        SendTicket ticket = SendTicket.open();
        sends.send(Objects.requireNonNull(message, "message"), stamp, true, ticket);
        return ticket;
    }

    @Override
    public void sendUnanswered(WireMessage message, SendListener listener) {
        sends.send(Objects.requireNonNull(message, "message"), null, false, Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public EngineException takeFailedSends() {
        return sends.takeFailed();
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
    public CompletableFuture<Void> settle(LockOutcome outcome, long[] lockTokens, String reason, boolean awaitReply) {
        return settlements.settle(Objects.requireNonNull(outcome, "outcome").onWire(), lockTokens, reason, awaitReply);
    }

    @Override
    public void completeUnanswered(long[] lockTokens) {
        settlements.completeUnanswered(Objects.requireNonNull(lockTokens, "lockTokens"));
    }

    @Override
    public EngineException takeFailedCompletions() {
        return settlements.takeFailedCompletions();
    }

    @Override
    public void handedOut(long lockToken) {
        settlements.handedOut(lockToken);
    }

    @Override
    public CompletableFuture<long[]> renewLocks(long[] lockTokens) {
        long[] tokens = Objects.requireNonNull(lockTokens, "lockTokens").clone();
        CompletableFuture<long[]> future = new CompletableFuture<>();
        ordered(future, () -> {
            if (tokens.length == 0) {
                future.complete(new long[0]);
            } else {
                locks.renew(tokens, future);
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
        ordered(future, () -> requests.unsubscribe(subscriptionName, future));
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
        ordered(future, () -> requests.browse(queue, selector, cursor, offset, maxMessages, future));
        return future;
    }

    @Override
    public CompletableFuture<Void> commit() {
        return transactions.end(true, null);
    }

    @Override
    public CompletableFuture<Void> commit(ProducerStamp transactionId) {
        // an older broker refuses a Commit with a field it does not know: it gets none
        return transactions.end(true, connection.storeId() != null ? transactionId : null);
    }

    @Override
    public CompletableFuture<Boolean> committed(ProducerStamp transactionId) {
        return transactions.committed(transactionId);
    }

    @Override
    public CompletableFuture<Void> rollback() {
        return transactions.end(false, null);
    }

    @Override
    public CompletableFuture<Void> close() {
        return lifecycle.close();
    }

    // ---- event loop ----

    /** Runs {@code write} on the event loop in call order, or fails {@code future} if the session is over. */
    void ordered(CompletableFuture<?> future, Runnable write) {
        execute(() -> {
            EngineException refused = refusal();
            if (refused != null) {
                future.completeExceptionally(refused);
            } else {
                held.submit(SessionOp.of(write, future));
            }
        });
    }

    /** Where the session's sends go through. */
    SessionSends sends() {
        return sends;
    }

    /** The window has room for this session's waiting send, which is the head of its held operations. */
    void resumeQueued(QueuedSend q) {
        held.resume(q);
    }

    /** The waiting send gave up (send timeout): fail it and let the operations behind it go. */
    void dropQueued(QueuedSend q, EngineException cause) {
        held.drop(q, cause);
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
        held.submit(SessionOp.of(() -> consumer.writeClose(unseen), cause -> consumer.closeDone()));
    }

    /** The broker no longer knows the consumer: stop routing to it. */
    void forgetConsumer(int consumerId) {
        consumers.forget(consumerId);
    }

    /** The session (or its connection) ended, so nothing of it is left on the broker. */
    boolean isOver() {
        return lifecycle.isOver();
    }

    /** A delivery from the broker, for one of this session's consumers. */
    void onDeliver(Deliver d) {
        consumers.deliver(d, lifecycle.closing());
    }

    /**
     * A delivery for one of the session's consumers: its lock is tracked (and renewed) from now on.
     *
     * @return the lock's expiry on the client's clock
     */
    long lockDelivered(Deliver d) {
        return locks.delivered(d);
    }

    /** The broker revokes prefetched messages of one of this session's consumers. */
    void onRevoke(Revoke revoke) {
        consumers.revoke(revoke, lifecycle.closing());
    }

    /** The broker ended this session (an error frame without request id): see {@link SessionLifecycle}. */
    void endedByBroker(EngineException cause) {
        lifecycle.endedByBroker(cause);
    }

    /** Writes the gathered completions and hand-out notices now (the connection is about to close). */
    void flushSettlements() {
        settlements.flush();
    }

    /** The session is over: see {@link SessionLifecycle#end}. */
    void end(EngineException cause, boolean notifyConsumers) {
        lifecycle.end(cause, notifyConsumers);
    }

    /** Fails the operations that wait behind a send for window; they will never be written. */
    void failHeld(EngineException cause) {
        lifecycle.failHeld(cause);
    }

    /** Why an operation cannot run now, or null if it can. */
    EngineException refusal() {
        return lifecycle.refusal();
    }

    @Override
    public String toString() {
        return "ClientSession[" + connection.logId() + ", channel " + channel + (transacted ? ", transacted" : "") + "]";
    }
}
