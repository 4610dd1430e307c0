package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.TokenMap;
import io.tunnelmq.protocol.frame.SettleOutcome;

import java.util.ArrayList;
import java.util.List;

/**
 * The locks one session holds, with their expiry on the client's clock: registered when a delivery arrives,
 * dropped when the session settles them (or the broker says a renewal failed), all dropped when the session
 * ends. Decides which locks are due for automatic renewal: those with less than a third of their lock duration
 * (as observed at delivery) left, until {@code maxRenewalMillis} have passed since their delivery.
 *
 * <p>Changed on the connection's event loop only; {@link #lockedUntil} may be read from any thread, so every method
 * holds the tracker's monitor (uncontended but for such a read). The locks are kept by primitive token
 * ({@link TokenMap}): a delivery adds no boxed key and no map node.
 */
final class LockTracker {

    /** One held lock, guarded by the tracker's monitor. */
    private static final class HeldLock {
        final long token;
        final long deliveredAt;
        final long durationMillis;
        long lockedUntil;
        /** A RENEW for it is on its way. */
        boolean renewing;
        /** COMPLETE sent in a transacted session: held by the broker until Commit or Rollback. */
        boolean awaitingCommit;

        HeldLock(long token, long deliveredAt, long lockedUntil) {
            this.token = token;
            this.deliveredAt = deliveredAt;
            this.lockedUntil = lockedUntil;
            this.durationMillis = Math.max(0, lockedUntil - deliveredAt);
        }

        long renewalDueAt() {
            return lockedUntil - durationMillis / 3;
        }
    }

    private final TokenMap<HeldLock> held = new TokenMap<>();
    private final long maxRenewalMillis;

    /** @param maxRenewalMillis how long after delivery locks are still renewed automatically; 0 = never */
    LockTracker(long maxRenewalMillis) {
        this.maxRenewalMillis = maxRenewalMillis;
    }

    /**
     * A delivery arrived: its lock is held until {@code lockedUntil} (client clock).
     *
     * @return when this lock wants the renewal timer ({@link #nextRenewalAt}'s rule for one lock), so the caller can
     *         move the timer without scanning every held lock on each delivery
     */
    synchronized long delivered(long lockToken, long lockedUntil, long now) {
        HeldLock lock = new HeldLock(lockToken, now, lockedUntil);
        held.put(lockToken, lock);
        return dueAt(lock, now);
    }

    /**
     * The session is sending a settlement. Every outcome but RENEW and TAKEN ends the locks — except a COMPLETE in a
     * transacted session, which the broker holds until the transaction ends, so the lock is kept (and renewed).
     */
    synchronized void settling(SettleOutcome outcome, long[] lockTokens, boolean transacted) {
        if (outcome == SettleOutcome.RENEW || outcome == SettleOutcome.TAKEN) {
            return;
        }
        for (long token : lockTokens) {
            if (transacted && outcome == SettleOutcome.COMPLETE) {
                HeldLock lock = held.get(token);
                if (lock != null) {
                    lock.awaitingCommit = true;
                }
            } else {
                held.remove(token);
            }
        }
    }

    /** Commit or Rollback was answered (or failed): the completions it held are settled or abandoned. */
    synchronized void transactionEnded() {
        List<HeldLock> ended = new ArrayList<>();
        for (HeldLock lock : held.values()) {
            if (lock.awaitingCommit) {
                ended.add(lock);
            }
        }
        ended.forEach(lock -> held.remove(lock.token));
    }

    /** The session ended or is closing: the broker abandons every lock. */
    synchronized void clear() {
        held.clear();
    }

    /** The lock's expiry on the client's clock, or 0 if the session does not hold it (as far as known). */
    synchronized long lockedUntil(long lockToken) {
        HeldLock lock = held.get(lockToken);
        return lock == null ? 0 : lock.lockedUntil;
    }

    /**
     * The locks to renew now, in no particular order, marked as being renewed. Locks past their maximum renewal time
     * are no longer renewed; once they have expired they are dropped.
     */
    synchronized long[] dueForRenewal(long now) {
        List<HeldLock> due = new ArrayList<>();
        List<HeldLock> expired = new ArrayList<>();
        for (HeldLock lock : held.values()) {
            if (!renewable(lock, now)) {
                if (lock.lockedUntil <= now) {
                    expired.add(lock); // expired on the broker by now: nothing left to settle or renew
                }
            } else if (!lock.renewing && now >= lock.renewalDueAt()) {
                lock.renewing = true;
                due.add(lock);
            }
        }
        expired.forEach(lock -> held.remove(lock.token));
        return due.stream().mapToLong(lock -> lock.token).toArray();
    }

    /**
     * The broker answered a renewal: the new expiry of each token (client clock), 0 for a lock it no longer
     * holds, which is dropped. Tokens settled meanwhile stay dropped.
     */
    synchronized void renewed(long[] lockTokens, long[] lockedUntil) {
        for (int i = 0; i < lockTokens.length; i++) {
            HeldLock lock = held.get(lockTokens[i]);
            if (lock == null) {
                continue;
            }
            lock.renewing = false;
            if (i >= lockedUntil.length || lockedUntil[i] == 0) {
                held.remove(lockTokens[i]);
            } else {
                lock.lockedUntil = Math.max(lock.lockedUntil, lockedUntil[i]);
            }
        }
    }

    /** A renewal got no answer (timeout, write failure): the locks may be tried again. */
    synchronized void renewalFailed(long[] lockTokens) {
        for (long token : lockTokens) {
            HeldLock lock = held.get(token);
            if (lock != null) {
                lock.renewing = false;
            }
        }
    }

    /** When the next automatic renewal is due (client clock), or {@code Long.MAX_VALUE} if none is. */
    synchronized long nextRenewalAt(long now) {
        long next = Long.MAX_VALUE;
        for (HeldLock lock : held.values()) {
            next = Math.min(next, dueAt(lock, now));
        }
        return next;
    }

    /** When one lock wants the timer: its renewal, or its expiry (to drop it then); {@code Long.MAX_VALUE} if never. */
    private long dueAt(HeldLock lock, long now) {
        if (lock.renewing) {
            return Long.MAX_VALUE;
        }
        if (renewable(lock, now)) {
            return lock.renewalDueAt();
        }
        if (lock.lockedUntil > now && lock.lockedUntil != Long.MAX_VALUE) {
            return lock.lockedUntil; // to drop it once it expired
        }
        return Long.MAX_VALUE;
    }

    /** The observed lock duration of a held lock, 0 if unknown. */
    synchronized long durationMillis(long lockToken) {
        HeldLock lock = held.get(lockToken);
        return lock == null ? 0 : lock.durationMillis;
    }

    synchronized int size() {
        return held.size();
    }

    private boolean renewable(HeldLock lock, long now) {
        return maxRenewalMillis > 0 && now - lock.deliveredAt < maxRenewalMillis && lock.durationMillis > 0
                && lock.lockedUntil != Long.MAX_VALUE;
    }
}
