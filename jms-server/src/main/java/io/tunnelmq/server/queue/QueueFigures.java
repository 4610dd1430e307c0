package io.tunnelmq.server.queue;

/**
 * One queue's figures for monitoring, read in one visit under its lock (bounded work: no scan of its messages).
 *
 * @param stats                what it holds now
 * @param totals               what happened to its messages so far
 * @param oldestAvailableMillis how long the oldest message waiting for a consumer has been on the queue (since it
 *                              arrived, or since the broker recovered it); 0 when none waits
 */
public record QueueFigures(QueueStats stats, QueueTotals totals, long oldestAvailableMillis) {

    /** The figures of a queue that holds nothing and saw nothing. */
    public static final QueueFigures EMPTY = new QueueFigures(new QueueStats(0, 0, 0, 0, 0, 0), QueueTotals.NONE, 0);
}
