package io.tunnelmq.server.queue;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one queue holds — available, locked and scheduled messages, its consumers, its counters and memory — and
 * the bookkeeping every part of the engine shares. Guarded by the queue's lock (see {@link PeekLockQueue}); work
 * that must leave the lock goes to {@link #outbox}.
 */
final class QueueContents {
    /**
     * The order messages are delivered in: higher JMSPriority first, by arrival within a priority. Abandoned and
     * released messages find their original place again through it.
     */
    static final Comparator<QueuedMessage> DELIVERY_ORDER = Comparator.comparingLong(m -> m.orderKey);

    final String name;
    final String deadLetterQueue;
    final QueueSettings settings;
    final QueueServices services;
    /** This queue's share of the broker's memory, with the queue's own limit. */
    final MemoryTracker memory;

    final NavigableSet<QueuedMessage> available = new TreeSet<>(DELIVERY_ORDER);
    final Map<Long, QueuedMessage> locked = new HashMap<>();
    final Set<QueuedMessage> scheduled = new HashSet<>();
    /**
     * Every held message (available, locked or scheduled) by JMSMessageID, for a reconnecting consumer's seen ids
     * ({@link PeekLockQueue#seenElsewhere}): a lookup per id instead of a scan of the queue per request. Costs one
     * map entry per message (counted in its {@link MessageFootprint}) and a hash of an id whose hash the String
     * caches. Ids are meant to be unique; of two held messages with one id only the first is found.
     */
    final Map<String, QueuedMessage> byMessageId = new HashMap<>();
    final ConsumerRing consumers = new ConsumerRing();
    final Outbox outbox = new Outbox();
    final QueueTally tally = new QueueTally();
    long nextSequence;
    long delivered;
    long bytes;
    boolean retired;

    QueueContents(String name, String deadLetterQueue, QueueSettings settings, QueueServices services,
                  long maxBytes) {
        this.name = name;
        this.deadLetterQueue = deadLetterQueue;
        this.settings = settings;
        this.services = services;
        this.memory = services.memory().forQueue(maxBytes);
    }

    long now() {
        return services.timer().now();
    }

    /** Detaches every consumer and drops every waiting message; locked ones are dropped once settled. */
    void retire() {
        retired = true;
        consumers.clear();
        purge();
    }

    /** Drops every waiting message (available or scheduled); locked ones stay with their consumers. @return how many */
    int purge() {
        int purged = available.size() + scheduled.size();
        available.forEach(this::discard);
        available.clear();
        scheduled.forEach(this::discard); // their delivery timers find them gone and do nothing
        scheduled.clear();
        tally.purged += purged;
        return purged;
    }

    /**
     * When the oldest available message arrived, or {@link Long#MAX_VALUE} if none is available. Delivery order is
     * by priority, then arrival: the oldest is the head of one of the ten priority bands, so this looks at ten heads
     * instead of scanning the queue.
     */
    long oldestAvailableArrival() {
        long oldest = Long.MAX_VALUE;
        for (int priority = 0; priority <= 9; priority++) {
            long bandStart = QueuedMessage.keyOf(priority, 0);
            QueuedMessage head = available.ceiling(QueuedMessage.probe(bandStart));
            if (head != null && QueuedMessage.priorityOf(head.orderKey) == priority) {
                oldest = Math.min(oldest, head.arrivedAt);
            }
        }
        return oldest;
    }

    /** The lock {@code owner} holds under this token, or null. */
    QueuedMessage lockedBy(LockOwner owner, long lockToken) {
        QueuedMessage m = locked.get(lockToken);
        return m != null && m.owner == owner ? m : null;
    }

    /** Counts a message in. */
    void hold(QueuedMessage m) {
        bytes += m.size;
        memory.reserve(m.footprint);
        String id = m.message.messageId();
        if (id != null) {
            byMessageId.putIfAbsent(id, m);
        }
    }

    /** Counts a message out (settled, moved or dropped). */
    void remove(QueuedMessage m) {
        bytes -= m.size;
        memory.release(m.footprint);
        String id = m.message.messageId();
        if (id != null) {
            byMessageId.remove(id, m);
        }
    }

    /** Removes a message that is gone for good without a client settling it: the store forgets it too. */
    void discard(QueuedMessage m) {
        remove(m);
        storeDropped(m.storeId);
    }

    void storeDropped(long storeId) {
        if (storeId != 0) {
            outbox.add(() -> services.stored().dropped(storeId));
        }
    }

    /**
     * Tells the store the count a stored message's next delivery carries, unless it holds that count already.
     * Lazily, in the journal's group commit: losing it in a crash only repeats a delivery with a lower count.
     */
    void storeCount(QueuedMessage m, int count) {
        if (m.storeId == 0 || m.storedCount == count) {
            return;
        }
        m.storedCount = count;
        long storeId = m.storeId;
        outbox.add(() -> services.stored().deliveryCountChanged(storeId, count));
    }
}
