package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.concurrent.CompletableFuture;

/** One session channel. Operations are sent in call order and the broker applies them in that order. */
public interface EngineSession {

    /** The channel number of this session. */
    int channel();

    /**
     * Sends a message inside the connection's send window. If the window is spent the send waits (in the
     * engine, in order with the session's other sends) until broker acks free it, at most the send timeout;
     * then both futures of the ticket fail with {@code RESOURCE_EXHAUSTED} and the message is not sent.
     */
    default SendTicket send(WireMessage message) {
        return send(message, null);
    }

    /**
     * Sends a message as {@link #send(WireMessage)}, stamped with its producer's id and sequence so the broker stores
     * it once if it is sent again.
     *
     * @param stamp the producer's stamp, or null for a send the broker must never take for a resend
     */
    SendTicket send(WireMessage message, ProducerStamp stamp);

    /**
     * Sends a non-persistent message whose sender does not wait for the broker's answer (no completion listener),
     * telling the listener what becomes of it instead of completing futures: where the broker takes such sends, it
     * answers only a refusal, and the listener hears {@code onWritten} and {@code onConfirmed} once the message is
     * written; the refusal is kept for {@link #takeFailedSends}. Elsewhere (a transacted session, a broker that
     * answers every send) it is {@link #send(WireMessage)}, told to the listener as it happens. Never throws.
     */
    default void sendUnanswered(WireMessage message, SendListener listener) {
        send(message).tell(listener);
    }

    /**
     * Takes the broker's refusals of sends made by {@link #sendUnanswered} since the last call, merged into one
     * exception (the first refusal, saying whether later ones failed too); null when none.
     */
    default EngineException takeFailedSends() {
        return null;
    }

    /**
     * Opens a consumer. Deliveries go to the listener on the event loop from the moment the broker accepts it.
     */
    default CompletableFuture<EngineConsumer> createConsumer(ConsumerSpec spec, DeliveryListener listener) {
        return createConsumer(spec, listener, false);
    }

    /**
     * Opens a consumer.
     *
     * @param creditHeld open it without message credit, so the broker delivers nothing (nothing it would lock
     *                   away from competing consumers) until {@link EngineConsumer#startDelivery()}: for a
     *                   consumer of a connection that is not started
     */
    CompletableFuture<EngineConsumer> createConsumer(ConsumerSpec spec, DeliveryListener listener, boolean creditHeld);

    /**
     * Settles locks held by this session.
     *
     * @param awaitReply true: the future completes on the broker's answer (and fails with its error, e.g.
     *                   {@code UNKNOWN_LOCK_TOKEN}); false: fire-and-forget, completes once written
     */
    CompletableFuture<Void> settle(LockOutcome outcome, long[] lockTokens, String reason, boolean awaitReply);

    /**
     * Completes locks without waiting and without a future, for the completions of every message an application
     * consumes (AUTO_ACKNOWLEDGE, DUPS_OK, a CLIENT_ACKNOWLEDGE of non-persistent messages): like
     * {@code settle(COMPLETE, lockTokens, null, false)}, gathered with the session's other completions into one
     * {@code Settle}, in call order with its other operations. A completion that fails (the broker could not make it,
     * or the session ended before it was written) comes back only through {@link #takeFailedCompletions}. Never
     * throws for a closed session; thread-safe, non-blocking. An empty array does nothing. The default settles and
     * drops the future, which suits an implementation whose {@code settle} without reply reports its failures that way.
     */
    default void completeUnanswered(long[] lockTokens) {
        if (lockTokens.length > 0) {
            settle(LockOutcome.COMPLETE, lockTokens, null, false);
        }
    }

    /**
     * The application has been handed the message of this lock (receive returned it, a MessageListener is about to
     * get it): tells the broker with a fire-and-forget {@code Settle(TAKEN)}, so that from now on losing the lock
     * (abandon, expiry, close, lost connection, broker crash) raises the delivery count and marks the next delivery
     * redelivered, while a message never handed out comes back unchanged. The notices of one event-loop turn go out
     * as one Settle, before the session's next operation; a notice is dropped when the same lock's COMPLETE,
     * ABANDON or DEAD_LETTER goes out in the same flush (an AUTO_ACKNOWLEDGE completion says more). Never fails:
     * on a closed session, or for a lock the session no longer holds, it does nothing. Thread-safe, non-blocking.
     */
    void handedOut(long lockToken);

    /**
     * A delivery was dropped without being handed out because its lock was lost ({@link #lockedUntil} said so): the
     * session forgets it. Nothing goes to the broker, which released the message already. Never fails; thread-safe,
     * non-blocking. The default does nothing (a session that forgets lost locks by itself).
     */
    default void dropped(long lockToken) {
    }

    /**
     * Takes the completions sent without waiting ({@link #completeUnanswered}, or {@code settle} with
     * {@code awaitReply} false) that failed: the broker could not make them, their locks were lost, so those messages
     * come again. Null when nothing failed since the last call. The exception's lock tokens name every such message.
     */
    default EngineException takeFailedCompletions() {
        return null;
    }

    /**
     * Renews locks held by this session. Completes with the new expiry of each lock, in the order of the tokens,
     * in epoch millis on the CLIENT's clock (the engine converts from the broker's clock with the offset learnt
     * at the handshake); 0 for a lock the session no longer holds. Never fails for an unknown or expired token.
     */
    CompletableFuture<long[]> renewLocks(long[] lockTokens);

    /**
     * The engine's latest knowledge of a lock's expiry on the client's clock (it renews held locks by itself up
     * to {@link EngineOptions#maxLockRenewalMillis()}), or 0 if the session no longer holds it. Thread-safe and
     * non-blocking.
     */
    long lockedUntil(long lockToken);

    /**
     * Deletes the durable subscription of that name (of the connection's client ID). Fails with
     * {@code INVALID_DESTINATION} if there is none, {@code ILLEGAL_STATE} while it has an active consumer.
     */
    CompletableFuture<Void> unsubscribe(String subscriptionName);

    /**
     * Fetches a page of a queue's available messages in delivery order, without locking them.
     *
     * @param selector    message selector, or null
     * @param offset      matching messages to skip (those of earlier pages)
     * @param maxMessages the most messages the page may hold (the broker may send fewer)
     */
    CompletableFuture<BrowsePage> browse(WireDestination queue, String selector, int offset, int maxMessages);

    /**
     * Fetches the page after {@code cursor} ({@link BrowsePage#cursor()} of the previous page; then {@code offset}
     * only counts for a broker that pages by offset). An engine without cursors pages by offset.
     */
    default CompletableFuture<BrowsePage> browse(WireDestination queue, String selector, long cursor, int offset,
                                                 int maxMessages) {
        return browse(queue, selector, offset, maxMessages);
    }

    /** Commits a transacted session; fails with {@code TRANSACTION_ROLLED_BACK} if nothing was applied. */
    CompletableFuture<Void> commit();

    /**
     * Commits as {@link #commit()}, telling the broker the transaction's id so that, if the answer is lost with the
     * connection, {@link #committed} on a new connection to the same store ({@link EngineConnection#storeId()}) can
     * find out whether it was applied. The id goes only to a broker that named its store (an older one gets a plain
     * commit).
     *
     * @param transactionId the session's random id and the transaction's number in it (1, 2, ...; never reused)
     */
    default CompletableFuture<Void> commit(ProducerStamp transactionId) {
        return commit();
    }

    /**
     * Asks the broker whether the commit with this transaction id was applied: completes with true (it was), false
     * (it was not, and never will be: the broker ended the connection it was sent on); fails when the broker cannot
     * tell (it does not remember, or it is an engine or broker without transaction ids).
     */
    default CompletableFuture<Boolean> committed(ProducerStamp transactionId) {
        return CompletableFuture.failedFuture(new EngineException(ErrorCode.ILLEGAL_STATE,
                "this engine cannot ask the broker about transaction " + transactionId.sequence()));
    }

    /** Rolls back a transacted session. */
    CompletableFuture<Void> rollback();

    /**
     * Closes the session on the broker (which abandons its locks and drops staged work) and frees the channel.
     * Idempotent.
     */
    CompletableFuture<Void> close();
}
