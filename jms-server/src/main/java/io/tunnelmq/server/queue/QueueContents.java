package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.PeerText;
import io.tunnelmq.protocol.TokenMap;
import io.tunnelmq.protocol.message.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What one queue holds — available, locked and scheduled messages, its consumers, its counters and memory — and
 * the bookkeeping every part of the engine shares. Guarded by the queue's lock (see {@link PeekLockQueue}); work
 * that must leave the lock goes to {@link #outbox}.
 */
final class QueueContents {
    private static final Logger log = LoggerFactory.getLogger(QueueContents.class);
    /**
     * The order messages are delivered in: higher JMSPriority first, by arrival within a priority (as
     * {@link AvailableMessages} keeps them), for lists of locked or scheduled messages merged into that order.
     */
    static final Comparator<QueuedMessage> DELIVERY_ORDER = Comparator.comparingLong(m -> m.orderKey);

    final String name;
    /** The name as log lines show it: a client may have chosen it ({@link PeerText}). */
    final String shownName;
    final String deadLetterQueue;
    final QueueSettings settings;
    final QueueServices services;
    /** This queue's share of the broker's memory, with the queue's own limit. */
    final MemoryTracker memory;

    final AvailableMessages available = new AvailableMessages();
    final TokenMap<QueuedMessage> locked = new TokenMap<>();
    final Set<QueuedMessage> scheduled = new HashSet<>();
    /** Held messages by JMSMessageID, while someone asks by id. */
    final MessageIdIndex byMessageId = new MessageIdIndex();
    final ConsumerRing consumers = new ConsumerRing();
    final Outbox outbox = new Outbox();
    final QueueTally tally = new QueueTally();
    long nextSequence;
    long delivered;
    long bytes;
    boolean retired;
    /**
     * Messages paged out now (available or scheduled). Written under the lock only; read without it by
     * {@link #shouldPage}: while a backlog is on disk, new messages join it there, so they wait behind it without
     * holding memory (and producers) up.
     */
    volatile int pagedOut;
    /** Told what consumers could take and what nobody here takes, when the backlog is shared with other brokers. */
    volatile QueueDemand demand = QueueDemand.NONE;
    /** Stands for other brokers' consumers in revocations made for them ({@link SharedBacklog#yieldPrefetch}). */
    final ConsumerSlot elsewhere = new ConsumerSlot(SharedBacklog.ELSEWHERE, 0, 0);
    /** Messages released unseen after a revocation for other brokers' consumers: handed back, not dispatched here. */
    int owedBack;

    QueueContents(String name, String deadLetterQueue, QueueSettings settings, QueueServices services,
                  long maxBytes) {
        this.name = name;
        this.shownName = PeerText.of(name);
        this.deadLetterQueue = deadLetterQueue;
        this.settings = settings;
        this.services = services;
        this.memory = services.memory().forQueue(maxBytes, services.pages().enabled());
    }

    /**
     * Whether a message holding {@code footprint} bytes that arrives now should be paged out: the queue pages, and
     * it has a backlog on disk already, or it or the broker is past its paging mark ({@link MemoryTracker#shouldPage}).
     * Any thread, without the lock: a hint that at worst pages one message early or late.
     */
    boolean shouldPage(long footprint) {
        return services.pages().enabled() && (pagedOut > 0 || memory.shouldPage(footprint));
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
     * Drops the waiting messages (available or scheduled) whose store id {@code storeIds} takes and that waited
     * before {@code waitingBeforeNanos} ({@link System#nanoTime}): one that waits again since, after a lock, stays.
     *
     * @return how many
     */
    int purge(LongPredicate storeIds, long waitingBeforeNanos) {
        List<QueuedMessage> gone = new ArrayList<>();
        Predicate<QueuedMessage> chosen = m -> m.storeId != 0 && storeIds.test(m.storeId)
                && (m.waitingAgainSince == 0 || m.waitingAgainSince - waitingBeforeNanos < 0) && gone.add(m);
        available.removeIf(chosen);
        scheduled.removeIf(chosen);
        gone.forEach(this::discard);
        tally.purged += gone.size();
        return gone.size();
    }

    /** The lock {@code owner} holds under this token, or null. */
    QueuedMessage lockedBy(LockOwner owner, long lockToken) {
        QueuedMessage m = locked.get(lockToken);
        return m != null && m.owner == owner ? m : null;
    }

    /** Counts a message in. */
    void hold(QueuedMessage m) {
        bytes += m.size;
        m.onDisk = m.storeId != 0 || m.pageRef != 0;
        if (m.onDisk) {
            services.disk().reserve(m.size);
        }
        if (m.isPagedOut()) {
            memory.reserveEntry(m.footprint);
            pagedOut++;
        } else {
            memory.reserve(m.footprint);
        }
        byMessageId.held(m);
    }

    /** Counts a message out (settled, moved or dropped); a page it had in the page file is freed. */
    void remove(QueuedMessage m) {
        removeKeepingPage(m);
        freePage(m);
    }

    /** As {@link #remove}, but its page stays until {@link #freePage}: it is still to be read. */
    void removeKeepingPage(QueuedMessage m) {
        bytes -= m.size;
        if (m.onDisk) {
            m.onDisk = false;
            services.disk().release(m.size);
        }
        if (m.isPagedOut()) {
            memory.releaseEntry(m.footprint);
            pagedOut--;
        } else {
            memory.release(m.footprint);
        }
        m.pagedIn = false;
        m.gone = true;
        byMessageId.removed(m);
    }

    /**
     * Counts a message out and hands it, readdressed, to another queue (dead-letter or expiry) through the
     * dead-letter service, off the lock. A paged-out one is read back first; if the disk fails that, the store keeps
     * a stored one (it comes back after a restart), and a warning says so.
     */
    void moveOut(QueuedMessage m, String toQueue, UnaryOperator<WireMessage> readdress) {
        long storeId = m.storeId;
        if (!m.isPagedOut()) {
            remove(m);
            WireMessage moved = readdress.apply(m.message);
            outbox.add(() -> services.deadLetters().deadLetter(toQueue, moved, storeId));
            return;
        }
        removeKeepingPage(m);
        long pageRef = m.pageRef;
        m.pageRef = 0;
        outbox.add(() -> services.pages().read(new long[] {storeId}, new long[] {pageRef})
                .whenComplete((read, e) -> {
                    if (pageRef != 0) {
                        services.pages().free(pageRef);
                    }
                    if (e != null || read[0] == null) {
                        log.warn("queue {}: could not read message {} back to move it to {}: {}", shownName,
                                PeerText.of(m.messageId), toQueue, e == null ? "gone" : e.toString());
                        return;
                    }
                    // off the lock already: hand it on directly
                    services.deadLetters().deadLetter(toQueue, readdress.apply(read[0]), storeId);
                }));
    }

    /** Frees the message's page in the page file, if it has one. */
    void freePage(QueuedMessage m) {
        long pageRef = m.pageRef;
        if (pageRef != 0) {
            m.pageRef = 0;
            outbox.add(() -> services.pages().free(pageRef));
        }
    }

    /** Pages a message out as it arrives (before {@link #hold}): only its entry stays in memory. */
    static void pageOut(QueuedMessage m, long pageRef) {
        m.pageRef = pageRef;
        m.message = null;
        m.footprint = MessageFootprint.pagedOut(m.messageId);
    }

    /** A paged-out message was read back: it holds memory again, as read-ahead until delivered. */
    void pagedIn(QueuedMessage m, WireMessage message) {
        memory.releaseEntry(m.footprint);
        pagedOut--;
        m.message = message;
        m.footprint = MessageFootprint.of(message);
        memory.reserve(m.footprint);
        m.pagedIn = true;
    }

    /** A message read back that no consumer selects goes back to disk only (its page stays where it was). */
    void pageOutAgain(QueuedMessage m) {
        memory.release(m.footprint);
        m.pagedIn = false;
        pageOut(m, m.pageRef);
        memory.reserveEntry(m.footprint);
        pagedOut++;
    }

    /** A read-ahead message was delivered: it is an ordinary locked message from now on. */
    void deliveredPagedIn(QueuedMessage m) {
        m.pagedIn = false;
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
