package io.tunnelmq.server.queue;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Lock durations: when each lock runs out, renewals, and pins for a commit. No timer per lock: the locks of one
 * duration run out in the order they were taken or renewed, so they wait in a {@link LockLane} whose one timer is
 * armed for its first lock. A settled lock costs no cancelled timer, only a stale entry that leaves from the front (a
 * lane emptied cancels its timer). When a lane's timer fires, the queue calls {@link #fired} under its lock, which
 * expires every lock that really is over ({@link #isOver}) from the front, and arms the timer for the next. Guarded by
 * the queue's lock.
 */
final class LockTimers {

    /** Called on the timer's thread when a lane's timer fires; takes the queue's lock itself. */
    @FunctionalInterface
    interface Fired {
        void fired(LockLane lane, long armedNumber);
    }

    private static final LockLane[] NO_LANES = new LockLane[0];

    private final QueueContents q;
    private final Fired fired;
    /** One per lock duration in use; usually the queue's own only. */
    private LockLane[] lanes = NO_LANES;
    /** The last number given to a lock's entry in its lane ({@link QueuedMessage#deadline}), or to a lane's timer. */
    private long numbers;

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
        enqueue(m);
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
        enqueue(m); // its earlier entry is stale now
    }

    /** Pins a lock for a commit that is about to complete it: it no longer expires. */
    void pin(QueuedMessage m) {
        m.pinned = true;
        m.deadline = 0;
        ended(m);
    }

    /** The lock ended or no longer runs out ({@link QueuedMessage#deadline} cleared): its lane may be empty now. */
    void ended(QueuedMessage m) {
        LockLane lane = laneOf(m.lockDurationMillis);
        if (lane != null && lane.isEmpty()) {
            disarm(lane);
        }
    }

    /**
     * A lane's timer fired (under the queue's lock): expires, from the front, every lock that is over, moves the
     * unseen ones within their grace to the grace lane, and arms the timer for the next. Nothing if a newer timer of the
     * lane was armed since (this one was cancelled too late).
     *
     * @param expire expires one lock (its message leaves the lane's live entries)
     * @return whether any lock expired
     */
    boolean fired(LockLane lane, long armedNumber, Consumer<QueuedMessage> expire) {
        if (lane.armedNumber != armedNumber) {
            return false;
        }
        lane.armed = null;
        long now = q.now();
        boolean any = false;
        for (QueuedMessage m = lane.first(); m != null && m.lockedUntil <= now; m = lane.first()) {
            lane.removeFirst();
            if (isOver(m, now)) {
                expire.accept(m);
                any = true;
            } else {
                lane.grace.add(m);
            }
        }
        for (QueuedMessage m = lane.grace.first(); m != null && isOver(m, now); m = lane.grace.first()) {
            lane.grace.removeFirst();
            expire.accept(m);
            any = true;
        }
        armNext(lane, now);
        return any;
    }

    static long until(long now, long duration) {
        return now > Long.MAX_VALUE - duration ? Long.MAX_VALUE : now + duration;
    }

    private void enqueue(QueuedMessage m) {
        LockLane lane = laneOf(m.lockDurationMillis);
        if (lane == null) {
            lane = new LockLane(m.lockDurationMillis, true);
            lanes = Arrays.copyOf(lanes, lanes.length + 1);
            lanes[lanes.length - 1] = lane;
        }
        m.deadline = ++numbers;
        lane.first(); // the stale entries in front leave as locks are settled in order
        lane.add(m);
        if (lane.size() > 2 * q.locked.size() + 64) {
            lane.compact();
        }
        if (lane.armed == null) {
            armNext(lane, q.now());
        }
    }

    /**
     * Arms the lane's timer for its next lock: the first one's expiry (the timer ticks on its own clock; an early
     * firing expires nothing and arms again), or the end of the first grace; disarms an empty lane.
     */
    private void armNext(LockLane lane, long now) {
        QueuedMessage next = lane.first();
        QueuedMessage late = lane.grace.first();
        if (next == null && late == null) {
            disarm(lane);
            return;
        }
        long at = next == null ? Long.MAX_VALUE : next.lockedUntil;
        if (late != null) {
            at = Math.min(at, endsAt(late));
        }
        arm(lane, at - now);
    }

    private LockLane laneOf(long durationMillis) {
        for (LockLane lane : lanes) {
            if (lane.durationMillis == durationMillis) {
                return lane;
            }
        }
        return null;
    }

    private void arm(LockLane lane, long delayMillis) {
        long number = ++numbers;
        lane.armedNumber = number;
        lane.armed = q.services.timer().schedule(() -> fired.fired(lane, number), Math.max(1, delayMillis));
    }

    /** The lane is empty: its timer is cancelled, and a lane of another duration than the queue's goes. */
    private void disarm(LockLane lane) {
        if (lane.armed != null) {
            lane.armed.cancel();
            lane.armed = null;
            lane.armedNumber = 0;
        }
        if (lane.durationMillis != q.settings.lockDurationMillis()) {
            lanes = Arrays.stream(lanes).filter(l -> l != lane).toArray(LockLane[]::new);
        }
    }
}
