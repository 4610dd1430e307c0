package io.tunnelmq.server.queue;

import java.util.Collection;

/**
 * What the queue learns about messages an application saw: a consumer's Settle TAKEN for one it holds, and the ids a
 * reconnecting consumer names as handed out on its lost connection. Either makes losing the message count as an
 * abandon, so it comes again flagged redelivered ({@link Settlement#taken}, {@link Settlement#seenElsewhere}). Takes
 * the queue's lock.
 */
final class Sightings {
    private final QueueContents q;
    private final QueueLock lock;
    private final LockTimers timers;
    private final Settlement settlement;
    private final Dispatcher dispatcher;

    Sightings(QueueContents q, QueueLock lock, LockTimers timers, Settlement settlement, Dispatcher dispatcher) {
        this.q = q;
        this.lock = lock;
        this.timers = timers;
        this.settlement = settlement;
        this.dispatcher = dispatcher;
    }

    /** See {@link PeekLockQueue#taken}. */
    boolean taken(LockOwner owner, long lockToken) {
        lock.lock();
        try {
            QueuedMessage m = q.lockedBy(owner, lockToken);
            if (m == null) {
                return false;
            }
            ConsumerSlot slot = m.deliveredTo;
            boolean revoked = settlement.taken(m);
            if (timers.isOver(m, q.now())) {
                // handed out just before the lock ended (within the unseen grace): now seen, it expires as an abandon
                settlement.expire(m);
                dispatcher.dispatch();
            } else if (revoked || (slot != null && slot.isStarving())) {
                // a revocation the application beat to it yielded nothing, or the application took the last message
                // its buffer held: a consumer may starve now, and no credit may come to say so (it comes at half the
                // prefetch)
                dispatcher.rebalance();
            }
            return true;
        } finally {
            lock.unlockAndDrain();
        }
    }

    /** See {@link PeekLockQueue#seenElsewhere}. */
    int seenElsewhere(Collection<String> messageIds) {
        lock.lock();
        try {
            int found = 0;
            boolean rebalance = false;
            for (String id : messageIds) {
                QueuedMessage m = q.byMessageId.find(id, q);
                if (m != null) {
                    found++;
                    rebalance |= settlement.seenElsewhere(m);
                }
            }
            if (found > 0) {
                dispatcher.dispatch(); // an abandon may have dead-lettered or delayed one; a taken lock frees nothing
                if (rebalance) {
                    dispatcher.rebalance();
                }
            }
            return found;
        } finally {
            lock.unlockAndDrain();
        }
    }
}
