package io.tunnelmq.server.queue;

/**
 * What happened to a queue's messages since it was created (or the broker started): counts that only grow.
 *
 * @param enqueued     messages put on the queue (sent, moved there, or recovered from the store at start)
 * @param delivered    deliveries (a lock given to a consumer), redeliveries included
 * @param completed    messages consumed for good (lock completed)
 * @param abandoned    deliveries that failed: abandoned by the client, or a lock lost after the application saw it
 * @param lockExpired  locks that ran out before they were settled
 * @param expired      messages whose JMSExpiration passed before delivery (dropped, or moved to the expiry queue)
 * @param deadLettered messages moved to the dead-letter queue
 * @param revoked      prefetched deliveries the broker asked a consumer to give back for a starving one
 * @param purged       waiting messages removed by an operator (purge) or dropped with the queue
 */
public record QueueTotals(long enqueued, long delivered, long completed, long abandoned, long lockExpired,
                          long expired, long deadLettered, long revoked, long purged) {

    /** No events yet. */
    public static final QueueTotals NONE = new QueueTotals(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The sum of two queues' totals, for a series that stands for many queues (temporary ones). */
    public QueueTotals plus(QueueTotals other) {
        return new QueueTotals(enqueued + other.enqueued, delivered + other.delivered, completed + other.completed,
                abandoned + other.abandoned, lockExpired + other.lockExpired, expired + other.expired,
                deadLettered + other.deadLettered, revoked + other.revoked, purged + other.purged);
    }
}
