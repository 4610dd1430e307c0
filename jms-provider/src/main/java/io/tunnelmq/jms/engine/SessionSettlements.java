package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleFailed;
import io.tunnelmq.protocol.frame.SettleOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * How one session's settlements reach the broker: fire-and-forget completions and hand-out notices are gathered
 * per event-loop turn ({@link SettleBatch}); every other settlement goes in call order with the session's other
 * operations ({@link HeldOperations}); and every Settle the session writes passes {@link #write}, so
 * {@link SessionLocks} knows which locks the session still holds.
 */
final class SessionSettlements {
    private static final Logger log = LoggerFactory.getLogger(SessionSettlements.class);
    private final ClientSession session;
    private final TunnelClientConnection connection;
    private final int channel;
    private final boolean transacted;
    private final SettleBatch batch;
    private final HeldOperations held;
    private final SessionLocks locks;
    /** Completions nobody waited for that the broker could not make ({@link SettleFailed}), until taken. */
    private final FailedCompletions failedCompletions = new FailedCompletions();

    SessionSettlements(ClientSession session, SettleBatch batch, HeldOperations held, SessionLocks locks) {
        this.session = session;
        this.connection = session.connection();
        this.channel = session.channel();
        this.transacted = session.isTransacted();
        this.batch = batch;
        this.held = held;
        this.locks = locks;
    }

    /** {@link EngineSession#settle}; any thread. */
    CompletableFuture<Void> settle(SettleOutcome outcome, long[] lockTokens, String reason, boolean awaitReply) {
        Objects.requireNonNull(outcome, "outcome");
        long[] tokens = Objects.requireNonNull(lockTokens, "lockTokens").clone();
        CompletableFuture<Void> future = new CompletableFuture<>();
        session.execute(() -> {
            EngineException refused = session.refusal();
            if (refused != null) {
                future.completeExceptionally(refused);
                return;
            }
            batch.settling(outcome, tokens); // before the batch is flushed ahead of this settle
            held.submit(SessionOp.of(() -> {
                if (tokens.length == 0) {
                    future.complete(null); // nothing to settle: no need to bother the broker
                } else {
                    write(outcome, tokens, reason, awaitReply ? Reply.completing(future) : null, future);
                }
            }, future));
        });
        return future;
    }

    /**
     * {@link EngineSession#completeUnanswered}; any thread. Gathered with the others of this event-loop turn into one
     * Settle, in call order with the session's other operations; handed over in batches ({@link SessionHandOver}).
     */
    void completeUnanswered(long[] lockTokens) {
        if (lockTokens.length > 0) {
            session.handOver().complete(lockTokens);
        }
    }

    /** {@link EngineSession#handedOut}; any thread. */
    void handedOut(long lockToken) {
        session.handOver().taken(lockToken);
    }

    /**
     * On the event loop: a settle in call order with the session's other operations, written before anything the
     * session writes later (the releases of a revocation or a stop, which a WAITING or SET credit must not
     * overtake).
     *
     * @param reply   the answer's handler, or null for a fire-and-forget settle
     * @param written for a fire-and-forget settle: completes once written; may be null
     */
    void inOrder(SettleOutcome outcome, long[] tokens, Reply reply, CompletableFuture<Void> written) {
        EngineException refused = session.refusal();
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
        held.submit(SessionOp.of(() -> write(outcome, tokens, null, reply, written), cause -> {
            if (reply != null) {
                reply.failed(cause);
            }
            if (written != null) {
                written.completeExceptionally(cause);
            }
        }));
    }

    /**
     * Writes a Settle of this session now. Every settlement the session sends takes this path (the facade's, the
     * releases of a closing consumer, of deliveries nobody takes, of revoked messages), so the lock tracker
     * knows which locks the session still holds.
     *
     * @param reply   the answer's handler, or null for a fire-and-forget settle
     * @param written for a fire-and-forget settle: completes once written; may be null
     */
    void write(SettleOutcome outcome, long[] tokens, String reason, Reply reply, CompletableFuture<Void> written) {
        locks.settling(outcome, tokens, transacted);
        if (reply != null) {
            connection.request(channel, outcome + " of " + tokens.length + " message(s) on session " + channel,
                    id -> new Settle(channel, id, outcome, tokens, reason), reply);
        } else {
            connection.writeOneWay(new Settle(channel, 0, outcome, tokens, reason), written);
        }
    }

    /**
     * The broker could not settle some tokens of a Settle nobody waited for. Failed completions are kept for
     * {@link #takeFailedCompletions}; the other outcomes (hand-out notices, releases) only mean the lock was already
     * gone, which the completion of that message will report. On the event loop.
     */
    void failed(SettleFailed failed) {
        if (failed.outcome() != SettleOutcome.COMPLETE) {
            log.debug("[{}] session {}: {}", connection.logId(), channel, failed.message());
            return;
        }
        failedCompletions.add(new EngineException(failed.code(), failed.message(), failed.lockTokens()));
    }

    /**
     * Completions sent without waiting that never reached the broker: the session ended first, or their Settle could
     * not be written. Kept for {@link #takeFailedCompletions}, as the broker's report of a lost lock would be: those
     * messages come again. Any thread.
     */
    void completionsFailed(Throwable cause, long[] tokens) {
        log.debug("[{}] session {}: {} completion(s) not sent: {}", connection.logId(), channel, tokens.length,
                cause.getMessage());
        ErrorCode code = cause instanceof EngineException e ? e.code() : ErrorCode.CONNECTION_FAILED;
        failedCompletions.add(new EngineException(code, "completing " + tokens.length + " message(s) on session "
                + channel + " failed: " + cause.getMessage(), tokens));
    }

    /** {@link EngineSession#takeFailedCompletions}; any thread. */
    EngineException takeFailedCompletions() {
        return failedCompletions.take();
    }

    /** Writes the gathered completions and hand-out notices now. */
    void flush() {
        batch.flush();
    }

    /**
     * On the event loop: what was handed over in one task. The notices go first; the batch they join writes notices
     * before completions in any case, and a completion cancels the notice of its own lock.
     */
    void takeHandedOver(HandOverBatch handed) {
        long[] taken = handed.takeTaken();
        long[] tokens = handed.completions.takeTokens();
        EngineException refused = session.refusal();
        if (refused == null) {
            for (long token : taken) {
                batch.taken(token);
            }
        }
        if (tokens.length == 0) {
            return;
        }
        if (refused != null) {
            completionsFailed(refused, tokens);
        } else if (held.isEmpty()) {
            gather(tokens);
        } else {
            held.hold(SessionOp.of(() -> gather(tokens), cause -> completionsFailed(cause, tokens)));
        }
    }

    private void gather(long[] tokens) {
        locks.settling(SettleOutcome.COMPLETE, tokens, transacted);
        batch.complete(tokens);
    }
}
