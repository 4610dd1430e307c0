package io.tunnelmq.server.session;

import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.server.queue.SettleResult;
import io.tunnelmq.server.store.MessageStore;
import io.tunnelmq.server.store.StoreOp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@link Settle} frame does to a session's locks: complete, abandon, release, reject, renew or mark them taken,
 * hold completions for a transaction's commit, and delete what was completed from the store. Stateless: the
 * session passes what it holds. Runs on the connection's event loop.
 */
final class Settling {
    private Settling() {
    }

    /**
     * Settles every token of the request; then, if any failed, throws one refusal naming them all (the others were
     * still settled). Completed stored messages are deleted from the store: durably before the answer when the
     * request wants one, lazily for a fire-and-forget settle. TAKEN never fails and is never held by a transaction.
     *
     * @param transaction the session's transaction, null unless it is transacted
     * @param store       where the completed messages' deletions go
     * @param channel     the session's channel, for the refusal
     * @return the store write the answer waits for, or null if there is none
     */
    static CompletableFuture<Void> settle(Settle request, SessionLocks locks, SessionTransaction transaction,
            MessageStore store, int channel) {
        SettleOutcome outcome = request.outcome();
        if (outcome == SettleOutcome.TAKEN) {
            for (long token : request.lockTokens()) {
                locks.taken(token);
            }
            return null;
        }
        SettleFailures failures = null;
        List<StoreOp> deletes = null;
        for (long token : request.lockTokens()) {
            SettleResult result;
            if (transaction != null && outcome == SettleOutcome.COMPLETE) {
                result = locks.check(token);
                transaction.holdCompletion(token, result); // a lost one dooms the commit
            } else {
                long storeId = outcome == SettleOutcome.COMPLETE ? locks.storeIdOf(token) : 0;
                result = locks.settle(token, outcome, request.reason());
                if (transaction != null && result == SettleResult.OK && outcome != SettleOutcome.RENEW) {
                    transaction.forget(token);
                }
                if (result == SettleResult.OK && storeId != 0) {
                    deletes = deletes == null ? new ArrayList<>() : deletes;
                    deletes.add(new StoreOp.RemoveMessage(storeId));
                }
            }
            if (result != SettleResult.OK) {
                failures = failures == null ? new SettleFailures(channel, outcome, request.lockTokens().length)
                        : failures;
                failures.add(token, result);
            }
        }
        CompletableFuture<Void> write = null;
        if (deletes != null) {
            write = request.requestId() != 0 && failures == null ? store.write(deletes) : store.writeLazily(deletes);
        }
        if (failures != null) {
            throw failures.refusal();
        }
        return write;
    }

    /**
     * Renews the locks of a {@code Settle(RENEW)}: the new expiry of each, in the request's order, 0 for a lock
     * the session does not hold. Never refuses a token.
     */
    static long[] renew(Settle request, SessionLocks locks) {
        long[] tokens = request.lockTokens();
        long[] lockedUntil = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            lockedUntil[i] = locks.renew(tokens[i]);
        }
        return lockedUntil;
    }
}
