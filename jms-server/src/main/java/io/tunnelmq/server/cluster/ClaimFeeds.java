package io.tunnelmq.server.cluster;

import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.queue.QueueTimer;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoredQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * The {@link ClaimFeed}s of a broker's shared queues, woken by the store when messages of a queue become claimable
 * ({@link SharedQueues#listen}). As a safety net for a wake-up lost on the way, every queue is asked again every
 * {@link #SAFETY_POLL_MILLIS} (a queue whose consumers have no credit asks nothing). Claimed messages are decoded on
 * one thread of its own, off the store's. Thread-safe.
 */
public final class ClaimFeeds implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClaimFeeds.class);
    /** How often every shared queue is asked again without a wake-up. */
    static final long SAFETY_POLL_MILLIS = 5_000;
    /** The store's backlog is read for monitoring when asked, at most this often (it counts the messages). */
    static final long BACKLOG_MILLIS = 5_000;

    private final SharedQueues store;
    private final QueueTimer timer;
    private final LongConsumer dropped;
    private final Map<StoredQueue, ClaimFeed> feeds = new ConcurrentHashMap<>();
    private final ExecutorService decoder = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tunnelmq-claims");
        t.setDaemon(true);
        return t;
    });
    private final ExpiredClaims expired;
    private volatile SharedQueues.Backlog backlog = SharedQueues.Backlog.NONE;
    /** When the last read of the backlog began; Long.MIN_VALUE: never. */
    private final AtomicLong backlogReadAt = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean closed;

    /**
     * @param dropped told the store id of a claimed topic copy that the subscription does not take (its selector or
     *                no-local rule): it is deleted
     */
    public ClaimFeeds(SharedQueues store, QueueTimer timer, LongConsumer dropped) {
        this(store, timer, dropped, null);
    }

    /**
     * @param queues a queue of this broker by name (made if need be), to remove expired messages of queues nobody
     *               consumes ({@link ExpiredClaims}); null: they are left to claims
     */
    public ClaimFeeds(SharedQueues store, QueueTimer timer, LongConsumer dropped,
                      Function<String, PeekLockQueue> queues) {
        this.store = Objects.requireNonNull(store, "store");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.dropped = Objects.requireNonNull(dropped, "dropped");
        this.expired = queues == null ? null : new ExpiredClaims(store, timer, queues, decoder);
        store.listen(this::woken);
        store.listenHungry(this::hungry);
        store.listenPurged(this::purged);
        timer.schedule(this::poll, SAFETY_POLL_MILLIS);
    }

    /**
     * The store's backlog as last read, for monitoring; asking starts a new read (off the caller's thread) when the
     * last one began more than {@link #BACKLOG_MILLIS} ago, so a broker nobody monitors never counts the messages.
     */
    public SharedQueues.Backlog backlog() {
        long now = timer.now();
        long last = backlogReadAt.get();
        if (!closed && (last == Long.MIN_VALUE || now - last >= BACKLOG_MILLIS)
                && backlogReadAt.compareAndSet(last, now)) {
            store.backlog().thenAccept(read -> backlog = read);
        }
        return backlog;
    }

    /**
     * Purges a queue or stored subscription across the brokers ({@link SharedQueues#purge}): of the messages stored
     * before the purge, those no broker holds leave the store, and every broker drops those it claimed and holds
     * waiting — this one before the returned future completes, the others when the store tells them.
     *
     * @return completes with how many messages left the store and this broker
     */
    public CompletableFuture<Integer> purge(StoredQueue key) {
        long asked = System.nanoTime(); // no later than the purge: what waited since before then was waiting at it
        return store.purge(key).thenCompose(done -> {
            ClaimFeed feed = feeds.get(key);
            return feed == null ? CompletableFuture.completedFuture(done.removed())
                    : store.heldBefore(key, done.before())
                            .thenApply(held -> done.removed() + feed.purged(held.notBefore(asked)));
        });
    }

    /**
     * A run of a queue or durable subscription as the store holds it, claimed by a broker or not
     * ({@link SharedQueues#browse}: due and unexpired ones, from position {@code fromKey}), decoded on the store's
     * thread: an operator's look.
     */
    public CompletableFuture<SharedQueues.BrowseRows> browse(StoredQueue queue, long fromKey, int max, long nowMillis) {
        return store.browse(queue, fromKey, max, nowMillis, Runnable::run);
    }

    /**
     * Claims up to {@code max} messages of a queue or stored subscription no broker holds for an operator's move, not
     * for a consumer: the caller removes or hands back every one ({@link #handBack}). Decoded on the store's thread.
     */
    public CompletableFuture<SharedQueues.Claims> claimForOperator(StoredQueue key, int max, long nowMillis) {
        return store.claim(key, max, nowMillis, Runnable::run);
    }

    /** Hands messages claimed with {@link #claimForOperator} back to the store (see {@link SharedQueues#release}). */
    public CompletableFuture<Void> handBack(StoredQueue key, List<SharedQueues.Released> released) {
        return store.release(key, released).thenRun(() -> { });
    }

    /** Takes back this broker's declines on {@code key} ({@link SharedQueues#undecline}). */
    public CompletableFuture<Void> undecline(StoredQueue key) {
        return store.undecline(key);
    }

    /** Feeds {@code queue} from the shared store under {@code key}: from now on it holds only what it claims. */
    public void share(PeekLockQueue queue, StoredQueue key) {
        share(queue, key, claimed -> true);
    }

    /**
     * As {@link #share(PeekLockQueue, StoredQueue)}, for a subscription: a claimed copy {@code takes} refuses is
     * deleted instead of queued (the store copies every publication to every subscription of its topic).
     */
    public void share(PeekLockQueue queue, StoredQueue key, Predicate<SharedQueues.Claimed> takes) {
        ClaimFeed feed = new ClaimFeed(queue, key, store, timer, decoder, takes, dropped, () -> closed);
        feeds.put(key, feed);
        queue.sharing().share(feed);
    }

    /** The queue under {@code key} is gone from this broker (deleted, unsubscribed): no more wake-ups for it. */
    public void unshare(StoredQueue key) {
        feeds.remove(key);
    }

    private void woken(StoredQueue key) {
        if (key == null) {
            feeds.values().forEach(ClaimFeed::wake);
            return;
        }
        ClaimFeed feed = feeds.get(key);
        if (feed != null) {
            feed.wake();
        }
    }

    private void hungry(StoredQueue key) {
        ClaimFeed feed = feeds.get(key);
        if (feed != null) {
            feed.hungerElsewhere();
        }
    }

    /**
     * Asks the store which messages this broker holds of those stored before the purge, and drops those that have been
     * waiting since it was taken, on the decoder thread (after the claims decoded meanwhile).
     */
    private void purged(SharedQueues.Purged purge) {
        ClaimFeed feed = feeds.get(purge.queue());
        if (feed == null || closed) {
            return;
        }
        store.heldBefore(purge.queue(), purge.before()).whenComplete((held, e) -> {
            if (e != null) {
                log.warn("{}: could not read which messages it holds of a purge across the brokers; they stay: {}",
                        purge.queue(), e.getMessage());
                return;
            }
            try {
                decoder.execute(() -> feed.purged(held));
            } catch (RejectedExecutionException closing) {
                // closed meanwhile: the broker stops, and what it claimed goes back to the store
            }
        });
    }

    private void poll() {
        if (closed) {
            return;
        }
        feeds.values().forEach(ClaimFeed::wake);
        timer.schedule(this::poll, SAFETY_POLL_MILLIS);
    }

    @Override
    public void close() {
        closed = true;
        feeds.clear(); // a wake-up heard while the broker stops finds nobody to claim or hand back for
        if (expired != null) {
            expired.close();
        }
        decoder.shutdown();
    }
}
