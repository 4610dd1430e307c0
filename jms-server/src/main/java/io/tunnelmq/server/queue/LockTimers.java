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

    /**
     * How long an unseen lock outlives its expiry. The client hands a buffered message to its application only while
     * the lock lasts by its own clock, and the notice of it (Settle TAKEN) takes a network trip: releasing the message
     * unseen the instant the lock ends could give it to another consumer as a first delivery while this application
     * has it too. The grace lets that notice arrive; a seen lock then expires as an abandon (count raised).
     */
    static final long UNSEEN_GRACE_MILLIS = 250;

    /** Whether the lock ran out (its timer may not have fired yet: settling it now must treat it as expired). */
    boolean isOver(QueuedMessage m, long now) {
        return !m.pinned && endsAt(m) <= now;
    }

    /** When the lock really ends on the broker: at its expiry once seen, {@link #UNSEEN_GRACE_MILLIS} later before. */
    private static long endsAt(QueuedMessage m) {
        return m.seen || m.lockedUntil > Long.MAX_VALUE - UNSEEN_GRACE_MILLIS ? m.lockedUntil
                : m.lockedUntil + UNSEEN_GRACE_MILLIS;
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
        long end = endsAt(m);
        if (end > now) {
            // the wheel ticks on its own clock; never expire a lock early (nor an unseen one within its grace)
            schedule(m, end - now);
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
