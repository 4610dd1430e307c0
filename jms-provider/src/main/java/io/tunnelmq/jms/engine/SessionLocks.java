package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.SettleOutcome;

import java.util.concurrent.CompletableFuture;

/**
 * The locks one session holds: every delivery registers its lock, every settlement the session writes takes it
 * off, and held locks are renewed automatically ({@link LockRenewal}) or on request. The tracker is what
 * {@link EngineSession#lockedUntil} reads. Confined to the event loop, except {@link #lockedUntil}.
 */
final class SessionLocks {
    private final TunnelClientConnection connection;
    private final LockTracker tracker;
    private final LockRenewal renewal;

    SessionLocks(ClientSession session) {
        this.connection = session.connection();
        this.tracker = new LockTracker(connection.maxLockRenewalMillis());
        this.renewal = new LockRenewal(session, tracker);
    }

    /**
     * A delivery for one of the session's consumers: its lock is tracked (and renewed) from now on.
     *
     * @return the lock's expiry on the client's clock
     */
    long delivered(Deliver d) {
        long lockedUntil = connection.brokerClock().toLocal(d.lockedUntil());
        renewal.lockAdded(tracker.delivered(d.lockToken(), lockedUntil, System.currentTimeMillis()));
        return lockedUntil;
    }

    /** A settlement of these locks is being written. */
    void settling(SettleOutcome outcome, long[] tokens, boolean transacted) {
        tracker.settling(outcome, tokens, transacted);
    }

    /** The latest known expiry of a lock on the client's clock, or 0 if the session no longer holds it. */
    long lockedUntil(long token) {
        return tracker.lockedUntil(token);
    }

    /** Renews these locks now; {@code future} gets their new expiries. */
    void renew(long[] tokens, CompletableFuture<long[]> future) {
        renewal.renew(tokens, future);
    }

    /** A commit or rollback ended: the completions it held are no longer ours to renew. */
    void transactionEnded() {
        tracker.transactionEnded();
    }

    /** The session closes or ended, and the broker abandons its locks: none is ours to renew any more. */
    void dropAll() {
        renewal.stop();
        tracker.clear();
    }
}
