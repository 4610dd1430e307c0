package io.tunnelmq.server.net;

import java.util.concurrent.TimeUnit;

/**
 * When a connection should move to another event loop, and to which. A message from one connection to another crosses
 * from the sender's loop to the receiver's, and on another loop that costs a wake-up (~25 µs on a small VM); a
 * request/reply pair pays two per round trip. So a connection that, over a window, is handed work by exactly one other
 * loop, while its own activity (frames read, tasks handed to it) stays at a rate one loop carries easily,
 * <em>joins</em> that loop; when it then grows busy enough to want a core of its own, it <em>leaves</em>, back to the
 * loop it came from. Busy connections (a producer or consumer at full speed) never join: spread over loops they go
 * faster.
 * <p>
 * Of two connections that hand each other work (request and reply), only the one on the higher-numbered loop joins,
 * so they do not swap places. A move is followed by a settling time, a leave by a long one, so nothing oscillates.
 * <p>
 * {@link #count} is called from any thread with a racy tally: a lost increment only blurs a rate. The rest runs on
 * the connection's loop.
 */
final class LoopAffinity {
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Tasks from the one other loop in a window before joining it (32 a second). */
    static final int JOIN_MIN_FOREIGN = 8;
    /** At most this much activity in a window (frames read, tasks from anywhere) to join (20,000 a second). */
    static final int JOIN_MAX_ACTIVITY = 5_000;
    /** More activity than this in a window, and a joined connection leaves (60,000 a second). */
    static final int LEAVE_MIN_ACTIVITY = 15_000;
    static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long AFTER_LEAVE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** No loop to move to. */
    static final int STAY = -1;
    private static final int MIXED = -2;

    private int local;
    private int foreign;
    /** Frames read in this window (on the connection's loop). */
    private int reads;
    /** The one other loop that handed work in this window, {@link #STAY} for none yet, {@link #MIXED} for several. */
    private int source = STAY;
    private long windowStart;
    private boolean started;
    private long quietUntil;
    /** The loop it joined from (where it goes back when it leaves), or {@link #STAY} when it did not join. */
    private int joinedFrom = STAY;

    /** Tallies a task handed over by loop {@code from} (or {@link BrokerLoops#NOT_A_LOOP}) to one on {@code home}. */
    void count(int from, int home) {
        if (from < 0) {
            return; // journal, timers, operators: they wake the connection's loop wherever it is
        }
        if (from == home) {
            local++;
            return;
        }
        foreign++;
        int seen = source;
        if (seen == STAY) {
            source = from;
        } else if (seen != from) {
            source = MIXED;
        }
    }

    /** Tallies a frame read from the client, on the connection's loop. */
    void read() {
        reads++;
    }

    /**
     * Ends the window if it is over: the loop to move to, or {@link #STAY}.
     *
     * @param now  {@code System.nanoTime()}
     * @param home the number of the connection's loop
     */
    int target(long now, int home) {
        if (!started) {
            started = true;
            windowStart = now;
            quietUntil = now;
            return STAY;
        }
        if (now - windowStart < WINDOW_NANOS) {
            return STAY;
        }
        int fromOthers = foreign;
        int activity = local + fromOthers + reads;
        int other = source;
        reset(now);
        if (now - quietUntil < 0 || home < 0) {
            return STAY;
        }
        if (joinedFrom != STAY) {
            return activity > LEAVE_MIN_ACTIVITY ? joinedFrom : STAY;
        }
        boolean oneOther = other >= 0 && other < home && fromOthers >= JOIN_MIN_FOREIGN;
        return oneOther && activity <= JOIN_MAX_ACTIVITY ? other : STAY;
    }

    /** A move from loop {@code from} to loop {@code to} began at {@code now}. */
    void moved(long now, int from, int to) {
        if (to == joinedFrom) {
            joinedFrom = STAY;
            quietUntil = now + AFTER_LEAVE_NANOS;
        } else {
            joinedFrom = from;
            quietUntil = now + SETTLE_NANOS;
        }
        reset(now);
    }

    private void reset(long now) {
        local = 0;
        foreign = 0;
        reads = 0;
        source = STAY;
        windowStart = now;
    }
}
