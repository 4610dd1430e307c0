package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.PeerText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a lock ends and what becomes of its message: complete deletes it; abandon makes it available again with its
 * count raised (after the redelivery delay), or dead-letters it at {@link QueueSettings#maxDeliveryCount()};
 * release makes it available at once with its count unchanged. A lock that is <em>lost</em> (it expired, or its
 * owner went away) follows what the application may have seen: a seen lock (Settle TAKEN) is abandoned, an unseen
 * one released. An unseen lock that expired in a consumer's buffer, and a revoked delivery the client gave back,
 * make that consumer decline further deliveries until it sends credit. Guarded by the queue's lock.
 */
final class Settlement {
    private static final Logger log = LoggerFactory.getLogger(Settlement.class);

    private final QueueContents q;
    private final LockTimers timers;
    /** Makes a scheduled message available under the queue's lock: {@link PeekLockQueue#becomeDue}. */
    private final Consumer<QueuedMessage> becomeDue;

    Settlement(QueueContents contents, LockTimers timers, Consumer<QueuedMessage> becomeDue) {
        this.q = contents;
        this.timers = timers;
        this.becomeDue = becomeDue;
    }

    void complete(QueuedMessage m) {
        unlock(m, false);
        q.remove(m);
        q.tally.completed++;
    }

    void abandon(QueuedMessage m) {
        unlock(m, false);
        abandoned(m);
    }

    /**
     * The client gives a lock back unseen. The answer to a revocation also makes that consumer decline; other
     * releases (consumer closed, recover, stop) do not.
     */
    void release(QueuedMessage m) {
        ConsumerSlot slot = m.deliveredTo;
        boolean revoked = slot != null && slot.isRevoked(m.lockToken);
        if (revoked && slot.revokedFor(m.lockToken) == q.elsewhere) {
            q.owedBack++;
        }
        unlock(m, false);
        if (revoked) {
            q.consumers.decline(slot);
        }
        released(m);
    }

    void deadLetter(QueuedMessage m, String reason) {
        unlock(m, false);
        deadLettered(m, reason);
    }

    /**
     * The application was handed the message (Settle TAKEN): from now on losing the lock abandons it. A stored
     * message gets its raised count written ahead, lazily, so a crash brings it back redelivered.
     *
     * @return whether the delivery had been revoked (the application took it first): the queue should rebalance
     */
    boolean taken(QueuedMessage m) {
        if (m.seen) {
            return false;
        }
        m.seen = true;
        q.storeCount(m, m.deliveryCount + 1);
        return m.deliveredTo != null && m.deliveredTo.taken(m.lockToken);
    }

    /**
     * A reconnecting consumer says its application was handed this message on a connection that is gone, and the
     * broker may never have heard (its Settle TAKEN was lost with the connection, or with a broker that crashed before
     * it stored the raised count). Unless that delivery is counted already, it is counted now as a TAKEN would have:
     * a locked message's lock becomes seen (losing it abandons); an available one is abandoned as its lost seen lock
     * would have been (count +1, redelivery delay, dead-lettered at the maximum); a scheduled one keeps waiting with
     * its count raised.
     *
     * @return whether a revocation was beaten to it (the queue should rebalance), as for {@link #taken}
     */
    boolean seenElsewhere(QueuedMessage m) {
        if (m.isLocked()) {
            return taken(m);
        }
        if (m.lastDeliverySeen) {
            return false;
        }
        if (q.available.remove(m)) {
            abandoned(m);
        } else {
            m.deliveryCount++;
            q.storeCount(m, m.deliveryCount);
            m.lastDeliverySeen = true;
        }
        return false;
    }

    /**
     * The lock ran out: a seen message is abandoned; an unseen one released and its consumer declines, unless its
     * client said WAITING since the delivery (it already dropped the message as lost and wants more).
     */
    void expire(QueuedMessage m) {
        log.debug("queue {}: lock {} of {} expired (delivery {}, {})", q.shownName, m.lockToken, m.message,
                m.deliveryCount, m.seen ? "seen" : "unseen");
        ConsumerSlot slot = m.deliveredTo;
        boolean seen = m.seen;
        long token = m.lockToken;
        unlock(m, true);
        q.tally.lockExpired++;
        if (seen) {
            abandoned(m);
        } else {
            if (slot != null && slot.waits == m.waitsAtDelivery) {
                // its client still buffers it: a stale buffer gets nothing more. The client hears of it as a
                // revocation, so it drops the message and says WAITING once its application waits again
                q.consumers.decline(slot);
                QueueConsumer consumer = slot.consumer;
                q.tally.revoked++;
                q.outbox.add(() -> consumer.revoke(new long[] {token}));
            }
            released(m);
        }
    }

    /**
     * The owner went away (session closed, connection lost): its seen locks are abandoned, its unseen ones
     * released, in delivery order, unless its connection fell silent first: then every one counts as seen.
     *
     * @return how many locks it held here
     */
    int ownerGone(LockOwner owner, OwnerGone how) {
        List<QueuedMessage> owned = new ArrayList<>();
        for (QueuedMessage m : q.locked.values()) {
            // a lock pinned by a commit whose store write is on its way stays: the commit completes it once durable
            // (or abandons it if the write fails), so a commit applied after its connection ended is not redelivered
            if (m.owner == owner && !m.pinned) {
                owned.add(m);
            }
        }
        owned.sort(QueueContents.DELIVERY_ORDER);
        for (QueuedMessage m : owned) {
            boolean seen = switch (how) {
                case HEARD -> m.seen;
                case SILENT -> true;
            };
            unlock(m, false);
            if (seen) {
                abandoned(m);
            } else {
                released(m);
            }
        }
        return owned.size();
    }

    /** Keeps a message out of sight for {@code delayMillis}, then puts it in its place again. */
    void delay(QueuedMessage m, long delayMillis) {
        q.scheduled.add(m);
        m.dueAt = q.now() + delayMillis;
        q.services.timer().schedule(() -> becomeDue.accept(m), delayMillis);
    }

    private void unlock(QueuedMessage m, boolean expired) {
        long token = m.lockToken;
        LockOwner owner = m.owner;
        q.locked.remove(token);
        if (m.deliveredTo != null) {
            m.deliveredTo.ended(token);
            m.deliveredTo = null;
        }
        m.clearLock();
        timers.ended(m);
        owner.lockEnded(token, expired);
    }

    /** An unlocked message whose delivery did not succeed: back in place with a raised count, or dead-lettered. */
    private void abandoned(QueuedMessage m) {
        m.waitingAgainSince = QueuedMessage.waitingSince(System.nanoTime());
        m.lastDeliverySeen = true;
        q.tally.abandoned++;
        if (q.retired) {
            q.discard(m);
        } else if (m.deliveryCount >= q.settings.maxDeliveryCount()) {
            deadLettered(m, DeadLetters.maxDeliveryCountExceeded(m.deliveryCount));
        } else {
            long delay = q.settings.redelivery().delayAfter(m.deliveryCount);
            m.deliveryCount++;
            q.storeCount(m, m.deliveryCount);
            if (delay > 0) {
                // redelivery backoff: it waits out of sight, then takes its original place again
                delay(m, delay);
            } else {
                q.available.add(m);
            }
        }
    }

    /** An unlocked message nobody saw: back in place at once, its count unchanged. */
    private void released(QueuedMessage m) {
        m.waitingAgainSince = QueuedMessage.waitingSince(System.nanoTime());
        m.lastDeliverySeen = false;
        if (q.retired) {
            q.discard(m);
        } else {
            // a client that releases after TAKEN says nobody saw it after all: the store follows
            q.storeCount(m, m.deliveryCount);
            q.available.add(m);
        }
    }

    private void deadLettered(QueuedMessage m, String reason) {
        if (q.retired) {
            q.discard(m);
            return;
        }
        q.tally.deadLettered++;
        log.info("queue {}: dead-lettered {} to {}: {}", q.shownName, PeerText.of(m.messageId), q.deadLetterQueue,
                reason);
        int deliveryCount = m.deliveryCount;
        // paged out when a reconnecting consumer names it as seen past its last delivery: read back first
        q.moveOut(m, q.deadLetterQueue,
                message -> DeadLetters.readdress(message, q.deadLetterQueue, reason, deliveryCount));
    }
}
