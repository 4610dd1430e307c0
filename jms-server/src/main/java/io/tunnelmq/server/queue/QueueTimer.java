package io.tunnelmq.server.queue;

/** The clock and timer queues use for lock expiry and scheduled delivery. */
public interface QueueTimer {

    /** Now, in epoch millis. */
    long now();

    /**
     * Runs {@code task} once after {@code delayMillis} on the timer's thread. The task must not block.
     *
     * @return a handle to cancel it
     */
    Cancellable schedule(Runnable task, long delayMillis);

    /** A scheduled task that may still be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task if it has not run; harmless otherwise. */
        void cancel();
    }
}
