package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.PeerText;
import io.tunnelmq.protocol.message.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps expired messages from holding memory: a message whose JMSExpiration passed is never delivered; it is
 * dropped, or moved to the expiry queue. While the queue holds messages that expire, a sweep runs on the broker's
 * timer soon after the earliest expiration (at most once per {@link ExpiredMessages#MIN_SWEEP_INTERVAL_MILLIS});
 * dispatch drops the expired messages it meets on the way too. Guarded by the queue's lock.
 */
final class ExpirySweep {
    private static final Logger log = LoggerFactory.getLogger(ExpirySweep.class);

    private final QueueContents q;
    /** Runs the sweep under the queue's lock: {@link PeekLockQueue#sweepExpired()}. */
    private final Runnable sweepUnderLock;
    /** The pending sweep and when it is due; null/0 when none is pending. */
    private QueueTimer.Cancellable sweep;
    private long sweepDue;

    ExpirySweep(QueueContents contents, Runnable sweepUnderLock) {
        this.q = contents;
        this.sweepUnderLock = sweepUnderLock;
    }

    /** A message that expires arrived: make sure a sweep follows its expiration. */
    void arrived(QueuedMessage m, long now) {
        if (m.expiration != 0) {
            schedule(m.expiration, now);
        }
    }

    /**
     * Removes every waiting message (available or scheduled) whose expiration has passed; locked messages are the
     * consumer's until settled. Schedules the next sweep.
     *
     * @return how many messages were removed
     */
    int sweep() {
        if (sweep != null) {
            sweep.cancel();
            sweep = null;
        }
        sweepDue = 0;
        long now = q.now();
        int removed = ExpiredMessages.removeExpired(q.available, now, this::dropExpired)
                + ExpiredMessages.removeExpired(q.scheduled, now, this::dropExpired);
        // locked messages count too: they may come back by abandon or expiry of their lock
        long next = Math.min(ExpiredMessages.earliestExpiration(q.available),
                Math.min(ExpiredMessages.earliestExpiration(q.scheduled),
                        ExpiredMessages.earliestExpiration(q.locked.values())));
        if (next != Long.MAX_VALUE && !q.retired) {
            schedule(next, now);
        }
        if (removed > 0) {
            log.debug("queue {}: swept {} expired message(s)", q.shownName, removed);
        }
        return removed;
    }

    /**
     * An expired message taken out of the available or scheduled set: dropped, or moved to the expiry queue (a
     * paged-out one is read back first, off the lock).
     */
    void dropExpired(QueuedMessage m) {
        q.tally.expired++;
        String expiryQueue = q.services.expiryQueue();
        if (expiryQueue == null || q.retired || expiryQueue.equals(q.name)) {
            log.debug("queue {}: dropped expired message {}", q.shownName, PeerText.of(m.messageId));
            q.discard(m);
            return;
        }
        q.moveOut(m, expiryQueue, message -> forExpiryQueue(message, expiryQueue));
    }

    private WireMessage forExpiryQueue(WireMessage message, String expiryQueue) {
        log.debug("queue {}: moving expired {} to {}", q.shownName, message, expiryQueue);
        return ExpiredMessages.forExpiryQueue(message, expiryQueue);
    }

    /** Makes sure a sweep runs soon after {@code expiration}, but not more often than the minimum interval. */
    private void schedule(long expiration, long now) {
        long due = Math.max(expiration == Long.MAX_VALUE ? expiration : expiration + 1,
                now + ExpiredMessages.MIN_SWEEP_INTERVAL_MILLIS);
        if (sweep != null && sweepDue <= due) {
            return;
        }
        if (sweep != null) {
            sweep.cancel();
        }
        sweepDue = due;
        sweep = q.services.timer().schedule(sweepUnderLock, due - now);
    }
}
