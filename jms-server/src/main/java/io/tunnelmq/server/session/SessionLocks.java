package io.tunnelmq.server.session;

import io.tunnelmq.protocol.TokenMap;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.server.queue.Delivery;
import io.tunnelmq.server.queue.LockOwner;
import io.tunnelmq.server.queue.OwnerGone;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.queue.SettleResult;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The locks one session holds, by token, so a settlement finds its queue. Queues call {@link #lockTaken} and
 * {@link #lockEnded} under their own lock from any thread, so the table is guarded by itself, and nothing here
 * calls a queue while holding it (a queue's lock is always taken first). The tokens of locks that expired are
 * remembered for a while, so settling one late says LOCK_EXPIRED rather than "unknown".
 */
final class SessionLocks implements LockOwner {
    /** How many expired tokens a session remembers; older ones read as unknown. */
    private static final int EXPIRED_TOKENS_REMEMBERED = 4096;

    /** The connection the session belongs to, for operators. */
    private final String connectionId;
    private final int channel;
    /** Guarded by itself. */
    private final TokenMap<Delivery> held = new TokenMap<>();
    /** Created on the first expiry (most sessions never see one); guarded by {@code this}. */
    private Set<Long> recentlyExpired;

    SessionLocks(String connectionId, int channel) {
        this.connectionId = connectionId;
        this.channel = channel;
    }

    @Override
    public String connectionId() {
        return connectionId;
    }

    @Override
    public void lockTaken(Delivery delivery) {
        synchronized (held) {
            held.put(delivery.lockToken(), delivery);
        }
    }

    @Override
    public void lockEnded(long lockToken, boolean expired) {
        synchronized (held) {
            held.remove(lockToken);
        }
        if (expired) {
            rememberExpired(lockToken);
        }
    }

    /** Whether the session still holds the lock, without touching it. */
    SettleResult check(long lockToken) {
        return delivery(lockToken) != null ? SettleResult.OK : notHeld(lockToken);
    }

    /** The store id of the message a held lock is on; 0 if it is not stored or the lock is not held. */
    long storeIdOf(long lockToken) {
        Delivery delivery = delivery(lockToken);
        return delivery == null ? 0 : delivery.storeId();
    }

    SettleResult settle(long lockToken, SettleOutcome outcome, String reason) {
        PeekLockQueue queue = queueOf(lockToken);
        SettleResult result = queue == null ? SettleResult.UNKNOWN_LOCK_TOKEN
                : queue.settle(this, lockToken, outcome, reason);
        return result == SettleResult.UNKNOWN_LOCK_TOKEN ? notHeld(lockToken) : result;
    }

    /** Renews a lock: its new expiry on the broker's clock, or 0 if the session does not hold it. */
    long renew(long lockToken) {
        PeekLockQueue queue = queueOf(lockToken);
        return queue == null ? 0 : queue.renewLock(this, lockToken);
    }

    SettleResult holdForCommit(long lockToken) {
        PeekLockQueue queue = queueOf(lockToken);
        SettleResult result = queue == null ? SettleResult.UNKNOWN_LOCK_TOKEN : queue.holdForCommit(this, lockToken);
        return result == SettleResult.UNKNOWN_LOCK_TOKEN ? notHeld(lockToken) : result;
    }

    /**
     * The application was handed this message (Settle TAKEN): losing the lock from now on raises its count. A token
     * the session does not hold is ignored.
     */
    void taken(long lockToken) {
        PeekLockQueue queue = queueOf(lockToken);
        if (queue != null) {
            queue.taken(this, lockToken);
        }
    }

    /**
     * Gives back every lock still held (the session is closing or its connection is gone): what the application
     * was handed is abandoned, what it never saw released ({@link PeekLockQueue#returnAll}). @return how many
     */
    int returnAll(OwnerGone how) {
        int returned = 0;
        Set<PeekLockQueue> queues = new HashSet<>();
        synchronized (held) {
            held.values().forEach(d -> queues.add(d.queue()));
        }
        for (PeekLockQueue queue : queues) {
            returned += queue.returnAll(this, how);
        }
        return returned;
    }

    int size() {
        synchronized (held) {
            return held.size();
        }
    }

    private PeekLockQueue queueOf(long lockToken) {
        Delivery delivery = delivery(lockToken);
        return delivery == null ? null : delivery.queue();
    }

    private Delivery delivery(long lockToken) {
        synchronized (held) {
            return held.get(lockToken);
        }
    }

    private synchronized void rememberExpired(long lockToken) {
        if (recentlyExpired == null) {
            recentlyExpired = Collections.newSetFromMap(new LinkedHashMap<>() {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                    return size() > EXPIRED_TOKENS_REMEMBERED;
                }
            });
        }
        recentlyExpired.add(lockToken);
    }

    private synchronized SettleResult notHeld(long lockToken) {
        return recentlyExpired != null && recentlyExpired.contains(lockToken) ? SettleResult.LOCK_EXPIRED
                : SettleResult.UNKNOWN_LOCK_TOKEN;
    }

    @Override
    public String toString() {
        return "session " + connectionId + "/" + channel;
    }
}
