package io.tunnelmq.server.queue;

/**
 * The counters behind {@link QueueTotals}: plain fields, because every event they count already happens under the
 * queue's lock — counting costs an increment, no atomic and no lock of its own. Guarded by the queue's lock.
 */
final class QueueTally {
    long enqueued;
    long completed;
    long abandoned;
    long lockExpired;
    long expired;
    long deadLettered;
    long revoked;
    long purged;

    QueueTotals snapshot(long delivered) {
        return new QueueTotals(enqueued, delivered, completed, abandoned, lockExpired, expired, deadLettered, revoked,
                purged);
    }
}
