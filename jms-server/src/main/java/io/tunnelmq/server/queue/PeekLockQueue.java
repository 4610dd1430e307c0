package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The peek-lock engine of one queue. A message is <em>available</em> until it is delivered to a consumer with
 * credit; it is then <em>locked</em> to the consumer's owner (a session) until the owner settles it:
 * <ul>
 *   <li>complete — the message is deleted;</li>
 *   <li>abandon — unlocked, delivery count +1, back in its original position;</li>
 *   <li>release — unlocked without raising the delivery count (the application never saw it);</li>
 *   <li>renew — the lock is extended by its duration;</li>
 *   <li>dead-letter — moved to {@code DLQ.<queue>} with the reason recorded ({@link DeadLetters}).</li>
 * </ul>
 * Lock expiry acts like abandon; both wait out the queue's {@link RedeliveryPolicy} before the message is available
 * again (in its original position). Abandoning or expiring a message that was delivered
 * {@link QueueSettings#maxDeliveryCount()} times dead-letters it instead. Locked messages never block the
 * available ones behind them.
 *
 * <p>Thread safety: connections' event loops and the timer call in concurrently. All state is guarded by one
 * lock per queue, held only for bookkeeping; deliveries and dead letters are handed on after it is released,
 * in lock order (see {@link Outbox}).
 */
public final class PeekLockQueue {
    private static final Logger log = LoggerFactory.getLogger(PeekLockQueue.class);

    /**
     * The order messages are delivered in: higher JMSPriority first, by arrival within a priority. Abandoned and
     * released messages find their original place again through it.
     */
    private static final Comparator<QueuedMessage> DELIVERY_ORDER =
            Comparator.<QueuedMessage>comparingInt(m -> -m.message.priority()).thenComparingLong(m -> m.sequence);

    private final String name;
    private final String deadLetterQueue;
    private final QueueSettings settings;
    private final QueueServices services;
    /** This queue's share of the broker's memory, with the queue's own limit. */
    private final MemoryTracker memory;

    private final ReentrantLock lock = new ReentrantLock();
    private final NavigableSet<QueuedMessage> available = new TreeSet<>(DELIVERY_ORDER);
    private final Map<Long, QueuedMessage> locked = new HashMap<>();
    private final Set<QueuedMessage> scheduled = new HashSet<>();
    private final ConsumerRing consumers = new ConsumerRing();
    private final Outbox outbox = new Outbox();
    private long nextSequence;
    private long delivered;
    private long bytes;
    private boolean retired;
    /** The pending sweep for expired messages, and when it is due; null/0 when none is pending. */
    private QueueTimer.Cancellable sweep;
    private long sweepDue;

    /**
     * @param name            the queue's name, for logs and stats
     * @param deadLetterQueue where dead-lettered messages go, normally {@code DLQ.<name>}
     */
    public PeekLockQueue(String name, String deadLetterQueue, QueueSettings settings, QueueServices services) {
        this(name, deadLetterQueue, settings, services, 0);
    }

    /**
     * @param maxBytes the heap this queue's messages may hold before producers to it are held back; 0 = only the
     *                 broker's limit
     */
    public PeekLockQueue(String name, String deadLetterQueue, QueueSettings settings, QueueServices services,
                         long maxBytes) {
        this.name = Objects.requireNonNull(name, "name");
        this.deadLetterQueue = Objects.requireNonNull(deadLetterQueue, "deadLetterQueue");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.services = Objects.requireNonNull(services, "services");
        this.memory = services.memory().forQueue(maxBytes);
    }

    /** The memory this queue's messages hold, against its own limit (it counts into the broker's too). */
    public MemoryTracker memory() {
        return memory;
    }

    public String name() {
        return name;
    }

    public String deadLetterQueue() {
        return deadLetterQueue;
    }

    public QueueSettings settings() {
        return settings;
    }

    /**
     * Adds a message at the end of the queue. A message with a future delivery time waits until then. A
     * retired queue drops it.
     */
    public void enqueue(WireMessage message) {
        enqueue(message, 0, 1);
    }

    /**
     * Adds a stored message at the end of the queue (see {@link #enqueue(WireMessage)}).
     *
     * @param storeId its id in the message store (0: not stored); the queue reports what becomes of it to
     *                {@link QueueServices#stored()} and the dead-letter sink
     */
    public void enqueue(WireMessage message, long storeId) {
        enqueue(message, storeId, 1);
    }

    /**
     * Puts back a message recovered from the store at the end of the queue, with the delivery count its next delivery
     * carries (above 1: it is marked redelivered).
     */
    public void restore(WireMessage message, long storeId, int deliveryCount) {
        if (deliveryCount < 1) {
            throw new IllegalArgumentException("delivery count must be >= 1, was " + deliveryCount);
        }
        enqueue(message, storeId, deliveryCount);
    }

    private void enqueue(WireMessage message, long storeId, int deliveryCount) {
        Objects.requireNonNull(message, "message");
        lock.lock();
        try {
            if (retired) {
                log.debug("queue {} is retired; dropped {}", name, message);
                storeDropped(storeId);
                return;
            }
            QueuedMessage m = new QueuedMessage(nextSequence++, message, storeId);
            m.deliveryCount = deliveryCount;
            hold(m);
            if (message.expiration() != 0) {
                scheduleSweep(message.expiration(), services.timer().now());
            }
            long delay = message.deliveryTime() - services.timer().now();
            if (message.deliveryTime() != 0 && delay > 0) {
                scheduled.add(m);
                services.timer().schedule(() -> becomeDue(m), delay);
            } else {
                available.add(m);
                dispatchArrival(m);
            }
        } finally {
            unlockAndDrain();
        }
    }

    /**
     * Attaches a consumer with an initial credit.
     *
     * @throws IllegalStateException if it is already attached
     */
    public void addConsumer(QueueConsumer consumer, int credit) {
        addConsumer(consumer, credit, 0);
    }

    /**
     * Attaches a consumer with an initial credit in messages and in bytes ({@code sizeEstimate()}; 0 = no byte
     * limit). A message goes to it while both last; one message may go beyond the byte credit while more than
     * half of it is left, so a message larger than the whole byte credit is never stuck.
     *
     * @throws IllegalStateException if it is already attached
     */
    public void addConsumer(QueueConsumer consumer, int credit, long creditBytes) {
        requireCredit(credit, 0);
        if (creditBytes < 0) {
            throw new IllegalArgumentException("byte credit must be >= 0, was " + creditBytes);
        }
        lock.lock();
        try {
            consumers.add(consumer, credit, creditBytes);
            memory.consumersAttached(consumers.takingAll() > 0);
            dispatch();
        } finally {
            unlockAndDrain();
        }
    }

    /** Grants a consumer more deliveries. @return false if the consumer is not attached */
    public boolean addCredit(QueueConsumer consumer, int credit) {
        requireCredit(credit, 1);
        return addCredit(consumer, credit, 0);
    }

    /**
     * Grants a consumer more deliveries and bytes (bytes count only for a consumer attached with a byte credit).
     *
     * @return false if the consumer is not attached
     */
    public boolean addCredit(QueueConsumer consumer, int messages, long bytes) {
        if (messages < 0 || bytes < 0 || (messages == 0 && bytes == 0)) {
            throw new IllegalArgumentException("credit must add messages or bytes and never be negative, was "
                    + messages + " messages, " + bytes + " bytes");
        }
        lock.lock();
        try {
            boolean known = consumers.addCredit(consumer, messages, bytes);
            dispatch();
            return known;
        } finally {
            unlockAndDrain();
        }
    }

    /** The consumer can take deliveries again (its connection became writable): dispatch to it. */
    public void resume(QueueConsumer consumer) {
        lock.lock();
        try {
            dispatch();
        } finally {
            unlockAndDrain();
        }
    }

    /** Detaches a consumer: no more deliveries. The locks it took stay with their owner. */
    public boolean removeConsumer(QueueConsumer consumer) {
        lock.lock();
        try {
            boolean removed = consumers.remove(consumer);
            memory.consumersAttached(consumers.takingAll() > 0);
            return removed;
        } finally {
            unlockAndDrain();
        }
    }

    public SettleResult complete(LockOwner owner, long lockToken) {
        return settle(owner, lockToken, SettleOutcome.COMPLETE, null);
    }

    public SettleResult abandon(LockOwner owner, long lockToken) {
        return settle(owner, lockToken, SettleOutcome.ABANDON, null);
    }

    public SettleResult release(LockOwner owner, long lockToken) {
        return settle(owner, lockToken, SettleOutcome.RELEASE, null);
    }

    public SettleResult renew(LockOwner owner, long lockToken) {
        return settle(owner, lockToken, SettleOutcome.RENEW, null);
    }

    public SettleResult deadLetter(LockOwner owner, long lockToken, String reason) {
        return settle(owner, lockToken, SettleOutcome.DEAD_LETTER, reason);
    }

    /**
     * Settles one lock. A token that is unknown or held by another owner gives {@link SettleResult#UNKNOWN_LOCK_TOKEN},
     * one whose lock ran out gives {@link SettleResult#LOCK_EXPIRED}; neither changes anything else.
     *
     * @param reason for {@link SettleOutcome#DEAD_LETTER}: why (null gives {@value DeadLetters#DEFAULT_CLIENT_REASON})
     */
    public SettleResult settle(LockOwner owner, long lockToken, SettleOutcome outcome, String reason) {
        Objects.requireNonNull(outcome, "outcome");
        lock.lock();
        try {
            QueuedMessage m = lockedBy(owner, lockToken);
            if (m == null) {
                return SettleResult.UNKNOWN_LOCK_TOKEN;
            }
            long now = services.timer().now();
            if (!m.pinned && m.lockedUntil <= now) {
                // the timer has not fired yet, but the lock is over: expire it now, as the timer would
                expire(m);
                dispatch();
                return SettleResult.LOCK_EXPIRED;
            }
            switch (outcome) {
                case COMPLETE -> {
                    unlock(m, false);
                    remove(m);
                }
                case ABANDON -> {
                    unlock(m, false);
                    abandoned(m);
                }
                case RELEASE -> {
                    unlock(m, false);
                    makeAvailable(m);
                }
                case DEAD_LETTER -> {
                    unlock(m, false);
                    deadLetter(m, reason == null || reason.isBlank() ? DeadLetters.DEFAULT_CLIENT_REASON : reason);
                }
                case RENEW -> renew(m, now);
            }
            dispatch();
            return SettleResult.OK;
        } finally {
            unlockAndDrain();
        }
    }

    /**
     * Renews one lock by its duration, counted from now.
     *
     * @return the new expiry (epoch millis on the broker's clock), or 0 if the owner does not hold the lock (unknown,
     *         settled, or expired — an expired lock is treated as the timer would)
     */
    public long renewLock(LockOwner owner, long lockToken) {
        lock.lock();
        try {
            QueuedMessage m = lockedBy(owner, lockToken);
            if (m == null) {
                return 0;
            }
            long now = services.timer().now();
            if (!m.pinned && m.lockedUntil <= now) {
                expire(m);
                dispatch();
                return 0;
            }
            renew(m, now);
            return m.lockedUntil;
        } finally {
            unlockAndDrain();
        }
    }

    /**
     * Pins a lock for a commit that is about to complete it: from now on it cannot expire, so a commit that
     * pinned all its locks is certain to apply them. The owner then completes (commit) or abandons (rollback).
     */
    public SettleResult holdForCommit(LockOwner owner, long lockToken) {
        lock.lock();
        try {
            QueuedMessage m = lockedBy(owner, lockToken);
            if (m == null) {
                return SettleResult.UNKNOWN_LOCK_TOKEN;
            }
            if (!m.pinned && m.lockedUntil <= services.timer().now()) {
                expire(m);
                dispatch();
                return SettleResult.LOCK_EXPIRED;
            }
            m.pinned = true;
            if (m.expiry != null) {
                m.expiry.cancel();
                m.expiry = null;
            }
            return SettleResult.OK;
        } finally {
            unlockAndDrain();
        }
    }

    /**
     * Abandons every lock the owner holds here (its session closed or its connection was lost): each message
     * is available again with its delivery count raised, or dead-lettered if it ran out of deliveries.
     *
     * @return how many locks were abandoned
     */
    public int abandonAll(LockOwner owner) {
        lock.lock();
        try {
            List<QueuedMessage> owned = new ArrayList<>();
            for (QueuedMessage m : locked.values()) {
                if (m.owner == owner) {
                    owned.add(m);
                }
            }
            owned.sort(DELIVERY_ORDER);
            for (QueuedMessage m : owned) {
                unlock(m, false);
                abandoned(m);
            }
            dispatch();
            return owned.size();
        } finally {
            unlockAndDrain();
        }
    }

    /**
     * Retires the queue (a non-durable subscription whose consumer closed): consumers are detached, waiting
     * messages dropped, new messages refused; locked messages stay until settled, and are then dropped rather
     * than made available again.
     */
    public void retire() {
        lock.lock();
        try {
            retired = true;
            consumers.clear();
            for (QueuedMessage m : available) {
                discard(m);
            }
            available.clear();
            for (QueuedMessage m : scheduled) {
                discard(m);
            }
            scheduled.clear();
        } finally {
            unlockAndDrain();
        }
    }

    /**
     * A page of the messages on the queue in delivery order, without locking them (a queue browser): available
     * ones and those locked to a consumer but not settled yet (a prefetching consumer must not hide the queue from
     * a browser); not those waiting for a delivery time or redelivery delay. Skips the first {@code offset} that
     * match, returns up to {@code max} more. Expired messages are left out.
     */
    public List<WireMessage> browse(java.util.function.Predicate<WireMessage> filter, int offset, int max) {
        lock.lock();
        try {
            long now = services.timer().now();
            List<QueuedMessage> onQueue = new ArrayList<>(available.size() + locked.size());
            onQueue.addAll(available);
            onQueue.addAll(locked.values());
            onQueue.sort(DELIVERY_ORDER);
            List<WireMessage> page = new ArrayList<>(Math.min(max, onQueue.size()));
            int skipped = 0;
            for (QueuedMessage m : onQueue) {
                if (page.size() >= max) {
                    break;
                }
                if (m.hasExpired(now) || !filter.test(m.message)) {
                    continue;
                }
                if (skipped < offset) {
                    skipped++;
                } else {
                    page.add(m.message);
                }
            }
            return page;
        } finally {
            unlockAndDrain();
        }
    }

    /**
     * Removes every waiting message (available or scheduled) whose expiration has passed: dropped, or moved to the
     * expiry queue. Runs on the broker's timer while the queue holds messages that expire, so expired messages
     * nobody consumes do not hold memory; locked messages are the consumer's until settled.
     *
     * @return how many messages were removed
     */
    public int sweepExpired() {
        lock.lock();
        try {
            if (sweep != null) {
                sweep.cancel();
                sweep = null;
            }
            sweepDue = 0;
            long now = services.timer().now();
            int removed = ExpiredMessages.removeExpired(available.iterator(), now, this::dropExpired)
                    + ExpiredMessages.removeExpired(scheduled.iterator(), now, this::dropExpired);
            // locked messages count too: they may come back by abandon or expiry of their lock
            long next = Math.min(ExpiredMessages.earliestExpiration(available),
                    Math.min(ExpiredMessages.earliestExpiration(scheduled),
                            ExpiredMessages.earliestExpiration(locked.values())));
            if (next != Long.MAX_VALUE && !retired) {
                scheduleSweep(next, now);
            }
            if (removed > 0) {
                log.debug("queue {}: swept {} expired message(s)", name, removed);
            }
            return removed;
        } finally {
            unlockAndDrain();
        }
    }

    public QueueStats stats() {
        lock.lock();
        try {
            return new QueueStats(available.size(), locked.size(), scheduled.size(), delivered, consumers.size(),
                    bytes);
        } finally {
            unlockAndDrain();
        }
    }

    @Override
    public String toString() {
        return "queue " + name;
    }

    // ---- under the lock ----

    private void dispatch() {
        if (retired) {
            return;
        }
        long now = services.timer().now();
        if (consumers.anySelector()) {
            SelectiveDispatch.dispatch(available, consumers, now, this::dropExpired, (m, slot) -> lockFor(m, slot, now));
            rebalance();
            return;
        }
        while (!available.isEmpty()) {
            QueuedMessage m = available.first();
            if (m.hasExpired(now)) {
                available.pollFirst();
                dropExpired(m);
                continue;
            }
            ConsumerRing.Slot slot = consumers.chooseFor(m.size);
            if (slot == null) {
                return;
            }
            available.pollFirst();
            lockFor(m, slot, now);
        }
        rebalance();
    }

    /**
     * A message arrived and consumers are as they were after the last dispatch, which left nothing any of them could
     * take: with selectors, only the newcomer needs looking at, so a backlog of messages nobody selects is not
     * scanned again for every send.
     */
    private void dispatchArrival(QueuedMessage m) {
        if (!consumers.anySelector()) {
            dispatch();
            return;
        }
        if (retired || !consumers.anyCredit()) {
            return;
        }
        long now = services.timer().now();
        if (m.hasExpired(now)) {
            available.remove(m);
            dropExpired(m);
            return;
        }
        ConsumerRing.Slot slot = consumers.chooseFor(m.size, m.message, m.deliveryCount);
        if (slot != null) {
            available.remove(m);
            lockFor(m, slot, now);
        }
    }

    /** Ran dry: an idle consumer may be owed messages another one only holds in its prefetch. */
    private void rebalance() {
        PrefetchBalancer.Revocation revocation = PrefetchBalancer.rebalance(consumers, locked::get);
        if (revocation != null) {
            log.debug("queue {}: revoking {} prefetched message(s) of {} for an idle consumer", name,
                    revocation.lockTokens().length, revocation.consumer());
            outbox.add(() -> revocation.consumer().revoke(revocation.lockTokens()));
        }
    }

    /** An expired message taken out of the available or scheduled set: dropped, or moved to the expiry queue. */
    private void dropExpired(QueuedMessage m) {
        String expiryQueue = services.expiryQueue();
        if (expiryQueue == null || retired || expiryQueue.equals(name)) {
            log.debug("queue {}: dropped expired {}", name, m.message);
            discard(m);
            return;
        }
        remove(m);
        WireMessage moved = ExpiredMessages.forExpiryQueue(m.message, expiryQueue);
        log.debug("queue {}: moved expired {} to {}", name, m.message, expiryQueue);
        long storeId = m.storeId;
        outbox.add(() -> services.deadLetters().deadLetter(expiryQueue, moved, storeId));
    }

    /** Makes sure a sweep runs soon after {@code expiration}, but not more often than the minimum interval. */
    private void scheduleSweep(long expiration, long now) {
        long due = Math.max(expiration == Long.MAX_VALUE ? expiration : expiration + 1,
                now + ExpiredMessages.MIN_SWEEP_INTERVAL_MILLIS);
        if (sweep != null && sweepDue <= due) {
            return;
        }
        if (sweep != null) {
            sweep.cancel();
        }
        sweepDue = due;
        sweep = services.timer().schedule(this::sweepExpired, due - now);
    }

    private void lockFor(QueuedMessage m, ConsumerRing.Slot slot, long now) {
        QueueConsumer consumer = slot.consumer;
        long duration = consumer.lockDurationMillis() > 0 ? consumer.lockDurationMillis()
                : settings.lockDurationMillis();
        long token = services.tokens().next();
        long until = now > Long.MAX_VALUE - duration ? Long.MAX_VALUE : now + duration;
        m.lock(token, consumer.owner(), until, duration);
        locked.put(token, m);
        consumers.delivered(slot, token, m.size);
        m.deliveredTo = slot;
        scheduleExpiry(m, duration);
        delivered++;
        Delivery delivery = new Delivery(this, consumer, token, m.deliveryCount, until, m.message, m.storeId);
        consumer.owner().lockTaken(delivery);
        outbox.add(() -> consumer.deliver(delivery));
    }

    private void scheduleExpiry(QueuedMessage m, long delay) {
        long token = m.lockToken;
        m.expiry = services.timer().schedule(() -> lockTimerFired(m, token), delay);
    }

    private void renew(QueuedMessage m, long now) {
        if (m.pinned) {
            return;
        }
        m.lockedUntil = now > Long.MAX_VALUE - m.lockDurationMillis ? Long.MAX_VALUE : now + m.lockDurationMillis;
        if (m.expiry != null) {
            m.expiry.cancel();
        }
        scheduleExpiry(m, m.lockDurationMillis);
    }

    private void expire(QueuedMessage m) {
        log.debug("queue {}: lock {} of {} expired (delivery {})", name, m.lockToken, m.message, m.deliveryCount);
        unlock(m, true);
        abandoned(m);
    }

    private void unlock(QueuedMessage m, boolean expired) {
        long token = m.lockToken;
        LockOwner owner = m.owner;
        locked.remove(token);
        if (m.deliveredTo != null) {
            m.deliveredTo.ended(token);
            m.deliveredTo = null;
        }
        m.clearLock();
        owner.lockEnded(token, expired);
    }

    /** An unlocked message whose delivery did not succeed: back in place with a raised count, or dead-lettered. */
    private void abandoned(QueuedMessage m) {
        if (retired) {
            discard(m);
        } else if (m.deliveryCount >= settings.maxDeliveryCount()) {
            deadLetter(m, DeadLetters.maxDeliveryCountExceeded(m.deliveryCount));
        } else {
            long delay = settings.redelivery().delayAfter(m.deliveryCount);
            m.deliveryCount++;
            if (m.storeId != 0) {
                long storeId = m.storeId;
                int count = m.deliveryCount;
                outbox.add(() -> services.stored().deliveryCountChanged(storeId, count));
            }
            if (delay > 0) {
                // redelivery backoff: it waits out of sight, then takes its original place again
                scheduled.add(m);
                services.timer().schedule(() -> becomeDue(m), delay);
            } else {
                available.add(m);
            }
        }
    }

    private void makeAvailable(QueuedMessage m) {
        if (retired) {
            discard(m);
        } else {
            available.add(m);
        }
    }

    private void deadLetter(QueuedMessage m, String reason) {
        if (retired) {
            discard(m);
            return;
        }
        remove(m);
        WireMessage dead = DeadLetters.readdress(m.message, deadLetterQueue, reason, m.deliveryCount);
        log.info("queue {}: dead-lettered {} to {}: {}", name, m.message, deadLetterQueue, reason);
        long storeId = m.storeId;
        outbox.add(() -> services.deadLetters().deadLetter(deadLetterQueue, dead, storeId));
    }

    private void hold(QueuedMessage m) {
        bytes += m.size;
        memory.reserve(m.footprint);
    }

    private void remove(QueuedMessage m) {
        bytes -= m.size;
        memory.release(m.footprint);
    }

    /** Removes a message that is gone for good without a client settling it: the store forgets it too. */
    private void discard(QueuedMessage m) {
        remove(m);
        storeDropped(m.storeId);
    }

    private void storeDropped(long storeId) {
        if (storeId != 0) {
            outbox.add(() -> services.stored().dropped(storeId));
        }
    }

    private QueuedMessage lockedBy(LockOwner owner, long lockToken) {
        QueuedMessage m = locked.get(lockToken);
        return m != null && m.owner == owner ? m : null;
    }

    private void unlockAndDrain() {
        lock.unlock();
        outbox.drain();
    }

    // ---- timer callbacks ----

    private void becomeDue(QueuedMessage m) {
        lock.lock();
        try {
            if (scheduled.remove(m)) {
                available.add(m);
                dispatch();
            }
        } finally {
            unlockAndDrain();
        }
    }

    private void lockTimerFired(QueuedMessage m, long token) {
        lock.lock();
        try {
            if (m.lockToken != token || m.pinned) {
                return;
            }
            long now = services.timer().now();
            if (m.lockedUntil > now) {
                // the wheel ticks on its own clock; never expire a lock early
                scheduleExpiry(m, m.lockedUntil - now);
                return;
            }
            expire(m);
            dispatch();
        } finally {
            unlockAndDrain();
        }
    }

    private static void requireCredit(int credit, int min) {
        if (credit < min) {
            throw new IllegalArgumentException("credit must be >= " + min + ", was " + credit);
        }
    }
}
