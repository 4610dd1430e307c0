package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The peek-lock engine of one queue. A message is <em>available</em> until it is delivered to a consumer with
 * credit; it is then <em>locked</em> to the consumer's owner (a session) until the owner settles it ({@link #settle}):
 * <ul>
 *   <li>complete — the message is deleted;</li>
 *   <li>abandon — unlocked, delivery count +1, back in its original position;</li>
 *   <li>release — unlocked without raising the delivery count (the application never saw it);</li>
 *   <li>taken — the application was handed it: a lock lost from now on counts as an abandon;</li>
 *   <li>renew — the lock is extended by its duration;</li>
 *   <li>dead-letter — moved to {@code DLQ.<queue>} with the reason recorded ({@link DeadLetters}).</li>
 * </ul>
 * A lock that is lost — it expired, or its owner went away — is abandoned if the application may have seen the
 * message (taken), released otherwise ({@link Settlement}). Abandon waits out the queue's {@link RedeliveryPolicy}
 * before the message is available again (in its original position); abandoning a message that was delivered
 * {@link QueueSettings#maxDeliveryCount()} times dead-letters it instead. Locked messages never block the available
 * ones behind them; prefetch never starves a competing consumer ({@link PrefetchBalancer}).
 *
 * <p>This class is the queue's API for its messages and their locks; consumers attach and get credit through
 * {@link #consumers()}. Both take the queue's {@link QueueLock}. The rules live in {@link Dispatcher},
 * {@link Arrivals}, {@link Sightings}, {@link Settlement}, {@link LockTimers}, {@link ExpirySweep} and {@link BrowseWalk}, which all work under the lock
 * on the shared {@link QueueContents}.
 *
 * <p>Thread safety: connections' event loops and the timer call in concurrently. All state is guarded by one
 * lock per queue, held only for bookkeeping (no call does work proportional to the queue's depth except the
 * timer's expiry sweep); deliveries, revocations, store events and dead letters are handed on after it is
 * released, in lock order (see {@link Outbox}).
 */
public final class PeekLockQueue {
    private static final Logger log = LoggerFactory.getLogger(PeekLockQueue.class);

    private final QueueContents q;
    private final QueueLock lock;
    private final ExpirySweep expiry;
    private final LockTimers timers;
    private final Settlement settlement;
    private final Dispatcher dispatcher;
    private final BrowseWalk browser;
    private final HeldWalk held;
    private final QueueConsumers consumers;
    private final Arrivals arrivals;
    private final Sightings sightings;
    private final LockRequests locks;
    private final SharedBacklog sharing;

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
        this.q = new QueueContents(Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(deadLetterQueue, "deadLetterQueue"),
                Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(services, "services"), maxBytes);
        this.lock = new QueueLock(q.outbox);
        this.expiry = new ExpirySweep(q, this::sweepExpired);
        this.timers = new LockTimers(q, this::lockTimerFired);
        this.settlement = new Settlement(q, timers, this::becomeDue);
        this.sharing = new SharedBacklog(q, lock);
        this.dispatcher = new Dispatcher(q, timers, expiry, new PageIn(q, lock), sharing, this);
        this.browser = new BrowseWalk(q);
        this.held = new HeldWalk(q);
        this.consumers = new QueueConsumers(q, lock, dispatcher);
        this.arrivals = new Arrivals(q, lock, expiry, settlement, dispatcher);
        this.sightings = new Sightings(q, lock, timers, settlement, dispatcher);
        this.locks = new LockRequests(q, lock, timers, settlement, dispatcher);
    }

    /** The memory this queue's messages hold, against its own limit (it counts into the broker's too). */
    public MemoryTracker memory() {
        return q.memory;
    }

    public String name() {
        return q.name;
    }

    public String deadLetterQueue() {
        return q.deadLetterQueue;
    }

    public QueueSettings settings() {
        return q.settings;
    }

    /** Attaching consumers and granting them credit. */
    public QueueConsumers consumers() {
        return consumers;
    }

    /**
     * Adds a message at the end of the queue. A message with a future delivery time waits until then. A
     * retired queue drops it.
     */
    public void enqueue(WireMessage message) {
        arrivals.enqueue(message, 0, 1, 0);
    }

    /**
     * Adds a stored message at the end of the queue (see {@link #enqueue(WireMessage)}); a queue sharing its backlog
     * ({@link #sharing()}) leaves it in the shared store and tells its demand ({@link QueueDemand#arrived}).
     *
     * @param storeId its id in the message store (0: not stored); the queue reports what becomes of it to
     *                {@link QueueServices#stored()} and the dead-letter sink
     */
    public void enqueue(WireMessage message, long storeId) {
        QueueDemand shared = q.demand;
        if (storeId != 0 && shared != QueueDemand.NONE) {
            shared.arrived();
            return;
        }
        arrivals.enqueue(message, storeId, 1, 0);
    }

    /**
     * Puts back a message recovered from the store at the end of the queue, with the delivery count its next delivery
     * carries (above 1: it is marked redelivered).
     */
    public void restore(WireMessage message, long storeId, int deliveryCount) {
        restore(message, storeId, deliveryCount, 0);
    }

    /**
     * Puts a message this broker claimed from a store shared with other brokers at the end of the queue, as
     * {@link #restore} does. It waits here since {@code askedNanos} ({@link System#nanoTime}), when its claim was
     * asked: a purge across the brokers heard later drops it only if it was taken after that ({@link #purgeStored}),
     * since before the claim the message may have been locked on another broker.
     */
    public void claimed(WireMessage message, long storeId, int deliveryCount, long askedNanos) {
        restore(message, storeId, deliveryCount, QueuedMessage.waitingSince(askedNanos));
    }

    private void restore(WireMessage message, long storeId, int deliveryCount, long waitingSince) {
        if (deliveryCount < 1) {
            throw new IllegalArgumentException("delivery count must be >= 1, was " + deliveryCount);
        }
        arrivals.enqueue(message, storeId, deliveryCount, waitingSince);
    }

    /** Sharing the queue's backlog with other brokers over one store ({@code store=postgresql}). */
    public SharedBacklog sharing() {
        return sharing;
    }

    /**
     * The application was handed this message (Settle TAKEN): the lock stays, and losing it from now on raises the
     * delivery count. A stored message's raised count goes to the store lazily.
     *
     * @return false if the owner does not hold the lock (the session ignores that)
     */
    public boolean taken(LockOwner owner, long lockToken) {
        return sightings.taken(owner, lockToken);
    }

    /**
     * A consumer that reconnects names messages its application was handed on its lost connection: each one this
     * queue holds whose delivery is not counted yet is counted now, as its Settle TAKEN would have ({@link
     * Settlement#seenElsewhere}), so it comes again flagged redelivered. Ids the queue does not hold are ignored. One
     * lookup per id (the queue indexes its messages by id), under the lock.
     *
     * @return how many of the ids the queue holds
     */
    public int seenElsewhere(Collection<String> messageIds) {
        return sightings.seenElsewhere(messageIds);
    }

    /**
     * Settles one lock. A token that is unknown or held by another owner gives {@link SettleResult#UNKNOWN_LOCK_TOKEN},
     * one whose lock ran out gives {@link SettleResult#LOCK_EXPIRED}; neither changes anything else. TAKEN marks
     * the lock seen ({@link #taken}) and never expires it.
     *
     * @param reason for {@link SettleOutcome#DEAD_LETTER}: why (null gives {@value DeadLetters#DEFAULT_CLIENT_REASON})
     */
    public SettleResult settle(LockOwner owner, long lockToken, SettleOutcome outcome, String reason) {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == SettleOutcome.TAKEN) {
            return taken(owner, lockToken) ? SettleResult.OK : SettleResult.UNKNOWN_LOCK_TOKEN;
        }
        return locks.settle(owner, lockToken, outcome, reason);
    }

    /**
     * Renews one lock by its duration, counted from now.
     *
     * @return the new expiry (epoch millis on the broker's clock), or 0 if the owner does not hold the lock (unknown,
     *         settled, or expired — an expired lock is treated as the timer would)
     */
    public long renewLock(LockOwner owner, long lockToken) {
        return locks.renew(owner, lockToken);
    }

    /**
     * Pins a lock for a commit that is about to complete it: from now on it cannot expire, so a commit that
     * pinned all its locks is certain to apply them. The owner then completes (commit) or abandons (rollback).
     */
    public SettleResult holdForCommit(LockOwner owner, long lockToken) {
        return locks.holdForCommit(owner, lockToken);
    }

    /**
     * Gives back every lock the owner holds here (its session closed or its connection was lost), in delivery
     * order: a message the application was handed (TAKEN) is abandoned — count raised, redelivery delay, or
     * dead-lettered at the maximum count; one it never saw is released with its count unchanged, unless the owner's
     * connection fell silent before it went ({@link OwnerGone#SILENT}): then any of them may have been handed out,
     * and all are abandoned. A lock pinned by a commit ({@link #holdForCommit}) stays with the owner: its commit
     * settles it.
     *
     * @return how many locks it gave back
     */
    public int returnAll(LockOwner owner, OwnerGone how) {
        return locks.returnAll(owner, how);
    }

    /**
     * Retires the queue (a non-durable subscription whose consumer closed): consumers are detached, waiting
     * messages dropped, new messages refused; locked messages stay until settled, and are then dropped rather
     * than made available again.
     */
    public void retire() {
        lock.underLock(() -> {
            q.retire();
            return null;
        });
    }

    /**
     * A page of the messages on the queue in delivery order, without locking them (a queue browser): available
     * ones and those locked to a consumer but not settled yet (a prefetching consumer must not hide the queue from
     * a browser); not those waiting for a delivery time or redelivery delay, nor expired ones. Bounded work under
     * the lock: see {@link BrowseWalk}.
     *
     * @param cursor where the previous page ended ({@link BrowsePage#next()} or one of its message cursors); 0 to
     *               start at the head
     * @param offset with cursor 0: how many matching messages to skip first (peers that page by offset)
     * @param max    the most messages the page holds
     */
    public BrowsePage browse(Predicate<WireMessage> filter, long cursor, int offset, int max) {
        if (max < 1 || offset < 0) {
            throw new IllegalArgumentException("browse needs max >= 1 and offset >= 0, was " + max + ", " + offset);
        }
        return Bodies.walk(lock, q, bodies -> browser.page(filter, cursor, offset, max, bodies));
    }

    /**
     * A page of everything the queue holds, for an operator: available, locked (with owner and lock end) and
     * scheduled messages in delivery order, nothing changed. Bounded work under the lock, as {@link #browse}.
     *
     * @param cursor where the previous page ended ({@link HeldPage#next()}); 0 to start at the head
     */
    public HeldPage inspect(Predicate<WireMessage> filter, long cursor, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("inspect needs max >= 1, was " + max);
        }
        return Bodies.walk(lock, q, bodies -> held.inspect(filter, cursor, max, bodies));
    }

    /**
     * Takes a page of the waiting messages (available and scheduled, in delivery order) out of the queue, for an
     * operator's move. Locked messages stay with their consumers (the first page counts them). A taken message is
     * gone from the queue but NOT from the store: the caller must store it on its new queue and remove its store
     * record ({@link HeldMessage#storeId()}) in one atomic write, so a crash
     * loses nothing.
     */
    public HeldPage take(Predicate<WireMessage> filter, long cursor, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("take needs max >= 1, was " + max);
        }
        return Bodies.walk(lock, q, bodies -> held.take(filter, cursor, max, bodies));
    }

    /**
     * Removes every waiting message (available or scheduled) whose expiration has passed: dropped, or moved to the
     * expiry queue. Runs on the broker's timer while the queue holds messages that expire, so expired messages
     * nobody consumes do not hold memory; locked messages are the consumer's until settled.
     *
     * @return how many messages were removed
     */
    public int sweepExpired() {
        return lock.underLock(() -> expiry.sweep());
    }

    public QueueStats stats() {
        return lock.underLock(this::statsNow);
    }

    /** What the queue holds and what happened to it, for monitoring: one short visit under the lock. */
    public QueueFigures figures() {
        return lock.underLock(() -> {
            long oldest = q.available.oldestArrival();
            return new QueueFigures(statsNow(), q.tally.snapshot(q.delivered),
                    oldest == Long.MAX_VALUE ? 0 : Math.max(0, q.now() - oldest));
        });
    }

    /**
     * Removes every message waiting on the queue (available or scheduled; stored ones are dropped from the store
     * too). Locked messages stay with their consumers: completing them is the consumer's business, and abandoning
     * one after a purge makes it available again.
     *
     * @return how many messages were removed
     */
    public int purge() {
        return lock.underLock(() -> {
            int purged = q.purge();
            if (purged > 0) {
                log.info("queue {}: purged {} waiting message(s)", q.shownName, purged);
            }
            return purged;
        });
    }

    /**
     * Removes the waiting messages (available or scheduled) of these store ids that were waiting at
     * {@code purgeNanos} ({@link System#nanoTime}): a purge across the brokers names the ones it took from what this
     * broker claimed, and when it was taken ({@link io.tunnelmq.server.store.SharedQueues#heldBefore}). Messages that
     * are locked, not here, or waiting again since a lock that ended after the purge are passed over: a purge that
     * reaches this broker late leaves what a purge on one broker would have left.
     *
     * @return how many messages were removed
     */
    public int purgeStored(long[] storeIds, long purgeNanos) {
        long[] sorted = storeIds.clone();
        Arrays.sort(sorted);
        return lock.underLock(() -> {
            int purged = q.purge(id -> Arrays.binarySearch(sorted, id) >= 0, purgeNanos);
            if (purged > 0) {
                log.info("queue {}: purged {} waiting message(s) it held of a purge across the brokers", q.shownName,
                        purged);
            }
            return purged;
        });
    }

    private QueueStats statsNow() {
        return new QueueStats(q.available.size(), q.locked.size(), q.scheduled.size(), q.delivered,
                q.consumers.size(), q.bytes, q.pagedOut);
    }

    @Override
    public String toString() {
        return "queue " + q.shownName;
    }

    // ---- timer callbacks ----

    private void becomeDue(QueuedMessage m) {
        arrivals.becomeDue(m);
    }

    private void lockTimerFired(LockLane lane, long armedNumber) {
        locks.timerFired(lane, armedNumber);
    }
}
