package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.frame.SettleOutcome;

/**
 * What the owner of a lock asks of the queue about it — settle it, renew it, pin it for a commit — and its going
 * (every lock it holds given back), and the lock timers firing. A lock that ran out before its timer fired is expired
 * when it is asked about, as the timer would have. Takes the queue's lock; {@link PeekLockQueue} documents each call.
 */
final class LockRequests {
    private final QueueContents q;
    private final QueueLock lock;
    private final LockTimers timers;
    private final Settlement settlement;
    private final Dispatcher dispatcher;

    LockRequests(QueueContents q, QueueLock lock, LockTimers timers, Settlement settlement, Dispatcher dispatcher) {
        this.q = q;
        this.lock = lock;
        this.timers = timers;
        this.settlement = settlement;
        this.dispatcher = dispatcher;
    }

    /** See {@link PeekLockQueue#settle}; TAKEN is the queue's {@link Sightings}. */
    SettleResult settle(LockOwner owner, long lockToken, SettleOutcome outcome, String reason) {
        lock.lock();
        try {
            QueuedMessage m = q.lockedBy(owner, lockToken);
            if (m == null) {
                return SettleResult.UNKNOWN_LOCK_TOKEN;
            }
            long now = q.now();
            if (expiredNow(m, now)) {
                return SettleResult.LOCK_EXPIRED;
            }
            switch (outcome) {
                case COMPLETE -> settlement.complete(m);
                case ABANDON -> settlement.abandon(m);
                case RELEASE -> settlement.release(m);
                case DEAD_LETTER -> settlement.deadLetter(m,
                        reason == null || reason.isBlank() ? DeadLetters.DEFAULT_CLIENT_REASON : reason);
                case RENEW -> timers.renew(m, now);
                case TAKEN -> settlement.taken(m); // the queue hands TAKEN to its Sightings; kept to name every outcome
            }
            dispatcher.dispatch();
            return SettleResult.OK;
        } finally {
            lock.unlockAndDrain();
        }
    }

    /** See {@link PeekLockQueue#renewLock}. */
    long renew(LockOwner owner, long lockToken) {
        lock.lock();
        try {
            QueuedMessage m = q.lockedBy(owner, lockToken);
            if (m == null) {
                return 0;
            }
            long now = q.now();
            if (expiredNow(m, now)) {
                return 0;
            }
            timers.renew(m, now);
            return m.lockedUntil;
        } finally {
            lock.unlockAndDrain();
        }
    }

    /** See {@link PeekLockQueue#holdForCommit}. */
    SettleResult holdForCommit(LockOwner owner, long lockToken) {
        return lock.underLock(() -> {
            QueuedMessage m = q.lockedBy(owner, lockToken);
            if (m == null) {
                return SettleResult.UNKNOWN_LOCK_TOKEN;
            }
            if (expiredNow(m, q.now())) {
                return SettleResult.LOCK_EXPIRED;
            }
            timers.pin(m);
            return SettleResult.OK;
        });
    }

    /** See {@link PeekLockQueue#returnAll}. */
    int returnAll(LockOwner owner, OwnerGone how) {
        return lock.underLock(() -> {
            int returned = settlement.ownerGone(owner, how);
            dispatcher.dispatch();
            return returned;
        });
    }

    /** A lock timer fired: the lock it was armed for expires unless it was settled or renewed meanwhile. */
    void timerFired(LockLane lane, long armedNumber) {
        lock.lock();
        try {
            if (timers.fired(lane, armedNumber, settlement::expire)) {
                dispatcher.dispatch();
            }
        } finally {
            lock.unlockAndDrain();
        }
    }

    /** Under the lock: a lock that ran out before its timer fired is expired now, as the timer would. */
    private boolean expiredNow(QueuedMessage m, long now) {
        if (!timers.isOver(m, now)) {
            return false;
        }
        settlement.expire(m);
        dispatcher.dispatch();
        return true;
    }
}
