package io.tunnelmq.server.queue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Count of the heap bytes held in messages (queued, locked, scheduled or staged in a transaction) against a memory
 * limit: the broker's, or one queue's ({@link #forQueue}), which also counts into the broker's. Producers' send
 * windows shrink as it fills. Connections whose window ran low register a waiter and are told when space is
 * released, so they can send a window update.
 *
 * <p>A queue that has consumers may hold at most the consumer lag limit: producers faster than the consumers are
 * then held back to their pace instead of burying them under a backlog (which costs the consumers CPU and the broker
 * heap). A queue nobody consumes may fill up to its own limit.
 *
 * <p>A queue that pages ({@link #forQueue(long, boolean)}) holds producers back only by the lag limit, and only while it
 * holds no backlog from before ({@link #limit()}): past its own limit (twice the lag limit while it has consumers), or
 * past {@link #PAGING_SHARE} of the broker's, new messages are paged out
 * ({@link #shouldPage}) and count only with their small paged-out entry, which counts in the broker's tracker alone
 * ({@link #reserveEntry}). The broker's limit then caps those entries: it closes the windows only when the entries
 * of paged-out messages fill it.
 */
public final class MemoryTracker {
    private final long limit;
    /** A queue's limit while it has consumers; 0 = none. */
    private final long consumerLagLimit;
    private volatile boolean consumed;
    /** The broker's tracker, for a queue's; null for the broker's own. */
    private final MemoryTracker parent;
    private final AtomicLong used = new AtomicLong();
    private final Set<Runnable> waiters = ConcurrentHashMap.newKeySet();
    /** A queue's: whether it pages past its limit instead of holding producers back. */
    private final boolean paging;
    /**
     * Share of the broker's limit past which queues page new messages out. The rest is for the entries of paged-out
     * messages (about 400 bytes each): half of a 128 MiB limit holds 160,000 of them.
     */
    static final double PAGING_SHARE = 0.5;

    public MemoryTracker(long limitBytes) {
        this(limitBytes, 0);
    }

    /**
     * @param consumerLagBytes the most a queue with consumers may hold (see the class comment); 0 = no such limit
     */
    public MemoryTracker(long limitBytes, long consumerLagBytes) {
        this(limitBytes, consumerLagBytes, null);
    }

    private MemoryTracker(long limitBytes, long consumerLagBytes, MemoryTracker parent) {
        this(limitBytes, consumerLagBytes, parent, false);
    }

    private MemoryTracker(long limitBytes, long consumerLagBytes, MemoryTracker parent, boolean paging) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("memory limit must be > 0 bytes, was " + limitBytes);
        }
        if (consumerLagBytes < 0) {
            throw new IllegalArgumentException("consumer lag limit must be >= 0 bytes (0 = none), was "
                    + consumerLagBytes);
        }
        this.limit = limitBytes;
        this.consumerLagLimit = consumerLagBytes;
        this.parent = parent;
        this.paging = paging;
    }

    /**
     * A tracker for one queue under this one: what it holds counts here too, and its releases wake this one's
     * waiters.
     *
     * @param limitBytes the queue's limit; 0 (or more than this tracker's limit) = this tracker's limit
     */
    public MemoryTracker forQueue(long limitBytes) {
        return forQueue(limitBytes, false);
    }

    /**
     * A tracker for one queue under this one (see {@link #forQueue(long)}).
     *
     * @param paging whether the queue pages new messages out past its limit instead of holding producers back
     */
    public MemoryTracker forQueue(long limitBytes, boolean paging) {
        if (limitBytes < 0) {
            throw new IllegalArgumentException("queue memory limit must be >= 0 bytes (0 = the broker's), was "
                    + limitBytes);
        }
        return new MemoryTracker(limitBytes == 0 || limitBytes > limit ? limit : limitBytes, consumerLagLimit, this,
                paging);
    }

    /**
     * The limit producers are held to now: the consumer lag limit while the queue has consumers, if that is lower.
     * A paging queue holds producers by nothing else, and by that only while it holds no more than twice the lag limit:
     * producers paced by their consumers never get it there (their window closes at the lag limit), so a queue past
     * it has a backlog from before — a consumer that came back after an hour — and new messages are paged out behind it
     * ({@link #shouldPage}) rather than the producers stopped until the consumer has worked through it.
     */
    public long limit() {
        boolean lagging = consumed && consumerLagLimit > 0 && consumerLagLimit < limit;
        if (paging) {
            return lagging && used.get() <= 2 * consumerLagLimit ? consumerLagLimit : parent.limit;
        }
        return lagging ? consumerLagLimit : limit;
    }

    /** Where a paging queue starts paging: past twice the lag limit while it has consumers (see {@link #limit()}). */
    private long pagingLimit() {
        return consumed && consumerLagLimit > 0 && 2 * consumerLagLimit < limit ? 2 * consumerLagLimit : limit;
    }

    /**
     * Whether a message holding {@code bytes} of heap should be paged out rather than held: this queue is past its
     * own limit with it (twice the consumer lag limit while it has consumers), or the broker past {@link #PAGING_SHARE} of
     * its limit.
     */
    public boolean shouldPage(long bytes) {
        return paging && (used.get() + bytes > pagingLimit()
                || parent.used.get() + bytes > (long) (parent.limit * PAGING_SHARE));
    }

    /** Counts the entry of a paged-out message: in the broker's tracker only (see the class comment). */
    void reserveEntry(long bytes) {
        if (parent == null) {
            reserve(bytes);
        } else {
            parent.reserve(bytes);
        }
    }

    /** Counts out the entry of a paged-out message ({@link #reserveEntry}). */
    void releaseEntry(long bytes) {
        if (parent == null) {
            release(bytes);
        } else {
            parent.release(bytes);
            wakeWaiters();
        }
    }

    /**
     * Whether the queue has consumers that take every message now (see the class comment; a queue whose consumers
     * all have selectors may hold what none of them selects, so it keeps its own limit). When the last one goes,
     * producers held by the lag limit are told: the queue has room although no memory was released, and the
     * windows wait on the broker's tracker, so its waiters hear of it too.
     */
    public void consumersAttached(boolean attached) {
        boolean was = consumed;
        consumed = attached;
        if (was && !attached) {
            wakeWaiters();
            if (parent != null) {
                parent.wakeWaiters();
            }
        }
    }

    public long used() {
        return used.get();
    }

    /** Bytes left under the limit, never negative. */
    public long free() {
        return Math.max(0, limit() - used.get());
    }

    /** Counts bytes now held. Never refuses: the send window is what keeps producers under the limit. */
    public void reserve(long bytes) {
        used.addAndGet(bytes);
        if (parent != null) {
            parent.reserve(bytes);
        }
    }

    /**
     * Counts bytes no longer held and tells the waiters. May run under a queue's lock: waiters only hand off.
     */
    public void release(long bytes) {
        used.addAndGet(-bytes);
        if (parent != null) {
            parent.release(bytes);
        }
        wakeWaiters();
    }

    private void wakeWaiters() {
        if (!waiters.isEmpty()) {
            for (Runnable waiter : waiters) {
                waiter.run();
            }
        }
    }

    /**
     * Calls {@code waiter} on every release until {@link #stopWaiting} (it must be quick and non-blocking:
     * it runs on whichever thread released memory, possibly under a queue's lock).
     */
    public void waitForSpace(Runnable waiter) {
        waiters.add(waiter);
    }

    public void stopWaiting(Runnable waiter) {
        waiters.remove(waiter);
    }
}
