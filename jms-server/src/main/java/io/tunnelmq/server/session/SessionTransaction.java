package io.tunnelmq.server.session;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.destination.BrokerException;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.queue.SettleResult;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The open transaction of a transacted session: staged sends and held completions. Commit first pins every
 * held lock so none can expire half-way, then publishes the sends and completes the locks — all or nothing.
 * Rollback drops the sends and abandons the held messages (redelivered with their count raised).
 * Confined to the connection's event loop.
 */
final class SessionTransaction {
    private final MemoryTracker memory;
    private final List<WireMessage> staged = new ArrayList<>();
    private final Set<Long> completions = new LinkedHashSet<>();
    private long stagedBytes;

    SessionTransaction(MemoryTracker memory) {
        this.memory = memory;
    }

    /** Holds a send until commit; its bytes count against the broker's memory meanwhile. */
    void stage(WireMessage message) {
        staged.add(message);
        int size = message.sizeEstimate();
        stagedBytes += size;
        memory.reserve(size);
    }

    /** Holds a completion until commit. */
    void holdCompletion(long lockToken) {
        completions.add(lockToken);
    }

    /** The lock was settled otherwise (abandon, release, dead-letter): nothing to complete at commit. */
    void forget(long lockToken) {
        completions.remove(lockToken);
    }

    /**
     * Publishes the staged sends and completes the held locks.
     *
     * @throws BrokerException {@code TRANSACTION_ROLLED_BACK} if a held lock is gone; everything was rolled back
     */
    void commit(SessionLocks locks, DestinationRegistry destinations, String connectionId) {
        for (long token : completions) {
            SettleResult result = locks.holdForCommit(token);
            if (result != SettleResult.OK) {
                int received = completions.size();
                int sends = staged.size();
                rollback(locks);
                throw new BrokerException(ErrorCode.TRANSACTION_ROLLED_BACK, "the transaction was rolled back: "
                        + (result == SettleResult.LOCK_EXPIRED
                        ? "the lock of token " + token + " expired before the commit (commit sooner, renew the"
                        + " locks or ask for a longer lockDuration)"
                        : "lock token " + token + " is no longer held by this session")
                        + "; its " + received + " received messages will be redelivered and its " + sends
                        + " sends were discarded");
            }
        }
        for (WireMessage message : staged) {
            destinations.publish(message, connectionId);
        }
        for (long token : completions) {
            locks.settle(token, SettleOutcome.COMPLETE, null);
        }
        clear();
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
        memory.release(stagedBytes);
        stagedBytes = 0;
    }
}
