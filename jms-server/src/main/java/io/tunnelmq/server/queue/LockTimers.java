package io.tunnelmq.server.queue;

/**
 * Lock durations: the timer of each lock, renewals, and pins for a commit. When a lock's timer fires, the queue
 * asks {@link #dueNow} under its lock, and expires the lock ({@link Settlement#expire}) only if it really is over.
 * Guarded by the queue's lock.
 */
final class LockTimers {

    /** Called on the timer's thread when a lock's timer fires; takes the queue's lock itself. */
    @FunctionalInterface
    interface Fired {
        void fired(QueuedMessage m, long lockToken);
    }

    private final QueueContents q;
    private final Fired fired;

    LockTimers(QueueContents contents, Fired fired) {
        this.q = contents;
        this.fired = fired;
    }

    /** The lock duration a consumer's deliveries get. */
    long durationFor(QueueConsumer consumer) {
        return consumer.lockDurationMillis() > 0 ? consumer.lockDurationMillis() : q.settings.lockDurationMillis();
    }

    /** Starts the timer of a new lock. */
    void start(QueuedMessage m) {
        schedule(m, m.lockDurationMillis);
    }

    /** Whether the lock ran out (its timer may not have fired yet: settling it now must treat it as expired). */
    boolean isOver(QueuedMessage m, long now) {
        return !m.pinned && m.lockedUntil <= now;
    }

    /** Extends a lock by its duration, counted from now; a pinned lock needs none. */
    void renew(QueuedMessage m, long now) {
        if (m.pinned) {
            return;
        }
        m.lockedUntil = until(now, m.lockDurationMillis);
        if (m.expiry != null) {
            m.expiry.cancel();
        }
        schedule(m, m.lockDurationMillis);
    }

    /** Pins a lock for a commit that is about to complete it: it no longer expires. */
    void pin(QueuedMessage m) {
        m.pinned = true;
        if (m.expiry != null) {
            m.expiry.cancel();
            m.expiry = null;
        }
    }

    /**
     * The timer of this lock fired: whether it must expire now. False for a lock settled or renewed meanwhile, or
     * pinned; a timer that fired early is scheduled again.
     */
    boolean dueNow(QueuedMessage m, long lockToken) {
        if (m.lockToken != lockToken || m.pinned) {
            return false;
        }
        long now = q.now();
        if (m.lockedUntil > now) {
            // the wheel ticks on its own clock; never expire a lock early
            schedule(m, m.lockedUntil - now);
            return false;
        }
        return true;
    }

    static long until(long now, long duration) {
        return now > Long.MAX_VALUE - duration ? Long.MAX_VALUE : now + duration;
    }

    private void schedule(QueuedMessage m, long delay) {
        long token = m.lockToken;
        m.expiry = q.services.timer().schedule(() -> fired.fired(m, token), delay);
    }
}
