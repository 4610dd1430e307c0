package io.tunnelmq.protocol;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The failures of one recurring thing (a heartbeat, a store write, a claim, a listening connection) told as runs: the
 * first failure of a run is worth a warning, the ones after it only a debug line, and the first success after a run is
 * worth saying it works again. Together with {@link Throttle}, the log's answer to a cause that recurs every few
 * milliseconds. Thread-safe, lock-free.
 */
public final class FailureStreak {
    private final AtomicBoolean failing = new AtomicBoolean();

    /** A failure: true when it begins a run (warn), false within one (debug). */
    public boolean failed() {
        return failing.compareAndSet(false, true);
    }

    /** Whether a run is under way: the last thing told was a failure. */
    public boolean failing() {
        return failing.get();
    }

    /** A success: true when it ends a run (say it works again), false otherwise. Cheap when nothing failed. */
    public boolean succeeded() {
        return failing.get() && failing.compareAndSet(true, false);
    }
}
