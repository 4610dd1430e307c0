package io.tunnelmq.server.session;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.destination.BrokerException;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.destination.Publication;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.queue.MessageFootprint;
import io.tunnelmq.server.queue.SettleResult;
import io.tunnelmq.server.store.StoreOp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The open transaction of a transacted session: staged sends and held completions. Commit first pins every
 * held lock so none can expire half-way, stores the sends and the completions of stored messages as ONE atomic write,
 * and once that is durable publishes the sends and completes the locks — all or nothing.
 * A commit with a transaction id records it in that same write ({@link DestinationRegistry#duplicates()}), so the
 * broker can later tell a client that lost the answer whether it was applied.
 * Rollback drops the sends and abandons the held messages (redelivered with their count raised).
 * Confined to the connection's event loop.
 */
final class SessionTransaction {
    /** A store write with nothing to write. */
    static final CompletableFuture<Void> WRITTEN = CompletableFuture.completedFuture(null);

    private final MemoryTracker memory;
    private final List<WireMessage> staged = new ArrayList<>();
    private final Set<Long> completions = new LinkedHashSet<>();
    private long stagedBytes;
    /** Why a completion sent for this transaction was refused (the first one), or null. */
    private SettleResult lost;
    private long lostToken;

    SessionTransaction(MemoryTracker memory) {
        this.memory = memory;
    }

    /**
     * Holds a send until commit; the heap it takes counts against the broker's memory meanwhile, as it would in a
     * queue ({@link MessageFootprint}: a message of many small properties takes several times its wire size).
     */
    void stage(WireMessage message) {
        staged.add(message);
        long size = MessageFootprint.of(message);
        stagedBytes += size;
        memory.reserve(size);
    }

    /**
     * Holds a completion until commit, if the session still held the lock ({@code result} OK). Otherwise the
     * transaction can no longer complete that message, so it can only roll back: the commit says so. (A client
     * sends its completions fire-and-forget right before Commit; a commit that went through without them would
     * have the message come again after the application was told its work was done.)
     */
    void holdCompletion(long lockToken, SettleResult result) {
        if (result == SettleResult.OK) {
            completions.add(lockToken);
        } else if (lost == null) {
            lost = result;
            lostToken = lockToken;
        }
    }

    /** The lock was settled otherwise (abandon, release, dead-letter): nothing to complete at commit. */
    void forget(long lockToken) {
        completions.remove(lockToken);
    }

    /**
     * Stores, then publishes the staged sends and completes the held locks; a new transaction begins at once.
     * {@code answer} gets null when that is done, or the reason everything was rolled back (the store failed).
     *
     * @param transactionId the client's id of this transaction, recorded with its effects; or null
     *
     * @throws BrokerException {@code TRANSACTION_ROLLED_BACK} if a held lock or a destination is gone; everything
     *                         was rolled back
     */
    void commit(ProducerStamp transactionId, SessionLocks locks, DestinationRegistry destinations,
                String connectionId, PendingWrites writes, Consumer<BrokerException> answer) {
        if (lost != null) {
            throw rolledBack(locks, lostToken, lost);
        }
        for (long token : completions) {
            SettleResult result = locks.holdForCommit(token);
            if (result != SettleResult.OK) {
                throw rolledBack(locks, token, result);
            }
        }
        List<Publication> publications = new ArrayList<>(staged.size());
        List<StoreOp> ops = new ArrayList<>();
        try {
            for (WireMessage message : staged) {
                Publication publication = destinations.prepare(message, connectionId);
                publications.add(publication);
                ops.addAll(publication.storeOps());
            }
        } catch (BrokerException e) {
            int received = completions.size();
            int sends = staged.size();
            rollback(locks);
            throw new BrokerException(ErrorCode.TRANSACTION_ROLLED_BACK, "the transaction was rolled back: "
                    + e.getMessage() + "; its " + received + " received messages will be redelivered and its " + sends
                    + " sends were discarded");
        }
        for (long token : completions) {
            long storeId = locks.storeIdOf(token);
            if (storeId != 0) {
                ops.add(new StoreOp.RemoveMessage(storeId));
            }
        }
        List<Long> tokens = List.copyOf(completions);
        long bytes = stagedBytes;
        clear();
        CompletableFuture<Void> write = write(transactionId, ops, destinations);
        writes.submit(write, bytes, () -> {
            publications.forEach(Publication::deliver);
            for (long token : tokens) {
                locks.settle(token, SettleOutcome.COMPLETE, null);
            }
            answer.accept(null);
        }, e -> {
            for (long token : tokens) {
                locks.settle(token, SettleOutcome.ABANDON, null);
            }
            answer.accept(new BrokerException(ErrorCode.TRANSACTION_ROLLED_BACK, "the transaction was rolled back: "
                    + e.getMessage() + "; its " + tokens.size() + " received messages will be redelivered and its "
                    + publications.size() + " sends were discarded"));
        });
    }

    /** Rolls back because the lock of {@code token} was lost ({@code result}); the refusal to answer the commit. */
    private BrokerException rolledBack(SessionLocks locks, long token, SettleResult result) {
        int received = completions.size() + (lost != null ? 1 : 0);
        int sends = staged.size();
        rollback(locks);
        return new BrokerException(ErrorCode.TRANSACTION_ROLLED_BACK, "the transaction was rolled back: "
                + (result == SettleResult.LOCK_EXPIRED
                ? "the lock of token " + token + " expired before the commit (commit sooner, renew the"
                + " locks or ask for a longer lockDuration)"
                : "lock token " + token + " is no longer held by this session")
                + "; its " + received + " received messages will be redelivered and its " + sends
                + " sends were discarded");
    }

    /**
     * Starts the commit's store write. It starts here, on the event loop that read the Commit, before the loop reads
     * anything else: so once a connection has ended (a resuming connection waits for that), its commit is either
     * known to the duplicate window, write and all, or was never read.
     */
    private static CompletableFuture<Void> write(ProducerStamp transactionId, List<StoreOp> ops,
                                                 DestinationRegistry destinations) {
        if (transactionId != null) {
            return destinations.duplicates().commit(transactionId, ops, destinations.storage().persistent()::write);
        }
        return ops.isEmpty() ? WRITTEN : destinations.storage().persistent().write(ops);
    }

    /** Drops the staged sends and abandons the held completions. */
    void rollback(SessionLocks locks) {
        for (long token : completions) {
            locks.settle(token, SettleOutcome.ABANDON, null);
        }
        clear();
    }

    /** Drops everything without touching locks (the session is closing and abandons all its locks anyway). */
    void discard() {
        clear();
    }

    private void clear() {
        staged.clear();
        completions.clear();
        lost = null;
        memory.release(stagedBytes);
        stagedBytes = 0;
    }
}
