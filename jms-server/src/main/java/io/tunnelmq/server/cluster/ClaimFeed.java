package io.tunnelmq.server.cluster;

import io.tunnelmq.protocol.FailureStreak;
import io.tunnelmq.server.queue.HandedBack;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.queue.QueueDemand;
import io.tunnelmq.server.queue.QueueTimer;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoredQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * Feeds one queue of this broker from the store it shares with other brokers: when the queue's consumers could take
 * more than it holds, it claims the next messages (at most {@link #MAX_CLAIM}, so one broker never takes a backlog
 * its consumers are not ready for), and when the queue holds waiting messages and has no consumer, it hands them
 * back. One claim and one hand-back in flight at a time; a wake-up that comes during a claim asks again after it.
 * A claim that finds nothing for consumers that could take more says so to the other brokers ({@link
 * SharedQueues#hungry}); told the same by another broker, the feed has its queue yield prefetched messages its
 * consumers have not looked at ({@link io.tunnelmq.server.queue.SharedBacklog#yieldPrefetch}).
 * Thread-safe: called from event loops, the timer and the store's threads.
 */
final class ClaimFeed implements QueueDemand {
    private static final Logger log = LoggerFactory.getLogger(ClaimFeed.class);
    /** The most messages one claim takes. */
    static final int MAX_CLAIM = 64;
    /** The most messages one hand-back gives. */
    static final int MAX_RELEASE = 512;
    /** After a failed claim or hand-back, how long until the next try. */
    static final long RETRY_MILLIS = 1_000;
    /** At most one word of hunger said, and one yield to another broker's, per this many milliseconds. */
    static final long HUNGER_MILLIS = 200;

    private final PeekLockQueue queue;
    private final StoredQueue key;
    private final SharedQueues store;
    private final QueueTimer timer;
    private final Executor executor;
    private final Predicate<SharedQueues.Claimed> takes;
    private final LongConsumer dropped;
    /** The broker is stopping: no more claims or hand-backs (what it holds goes back with its store's close). */
    private final BooleanSupplier stopping;
    private final AtomicBoolean claiming = new AtomicBoolean();
    /** A hand-back (or an undecline: they share this lane, in order) is on its way. */
    private final AtomicBoolean releasing = new AtomicBoolean();
    /** The consumers changed after messages were declined: an undecline waits for the lane. */
    private volatile boolean undeclineOwed;
    /** When a delivery time next comes for a message nobody could claim yet; 0: no wake-up scheduled. */
    private final AtomicLong dueWake = new AtomicLong();
    private volatile boolean wokenWhileClaiming;
    private final AtomicLong saidHungry = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicLong yielded = new AtomicLong(Long.MIN_VALUE / 2);
    private final FailureStreak claimFailures = new FailureStreak();
    private final PurgedClaims purgedClaims = new PurgedClaims();

    ClaimFeed(PeekLockQueue queue, StoredQueue key, SharedQueues store, QueueTimer timer, Executor executor,
              Predicate<SharedQueues.Claimed> takes, LongConsumer dropped, BooleanSupplier stopping) {
        this.stopping = stopping;
        this.takes = takes;
        this.dropped = dropped;
        this.queue = queue;
        this.key = key;
        this.store = store;
        this.timer = timer;
        this.executor = executor;
    }

    StoredQueue key() {
        return key;
    }

    @Override
    public void wants(int messages) {
        if (stopping.getAsBoolean() || !store.serving() || !claiming.compareAndSet(false, true)) {
            return;
        }
        wokenWhileClaiming = false;
        int max = Math.min(messages, MAX_CLAIM);
        long asked = System.nanoTime();
        store.claim(key, max, timer.now(), executor).whenComplete((claims, e) -> claimed(max, asked, claims, e));
    }

    @Override
    public void surplus() {
        if (stopping.getAsBoolean() || !releasing.compareAndSet(false, true)) {
            return;
        }
        List<HandedBack> back = queue.sharing().handBack(MAX_RELEASE);
        if (back.isEmpty()) {
            releasing.set(false);
            undeclineIfFree();
            return;
        }
        log.debug("{}: handing {} message(s) back for other brokers' consumers", queue, back.size());
        release(toReleased(back));
    }

    @Override
    public void arrived() {
        wake();
    }

    @Override
    public boolean mayDeliver() {
        return store.serving();
    }

    /** What this broker declined may be selected now: its claims take it again. */
    @Override
    public void consumersChanged() {
        undeclineOwed = true;
        undeclineIfFree();
    }

    /**
     * Undeclines in the hand-back's lane (see {@link #releasing}): a hand-back that declined messages under the old
     * consumers and is still on its way must land first, or its declines would outlive the undecline.
     */
    private void undeclineIfFree() {
        if (!undeclineOwed || !releasing.compareAndSet(false, true)) {
            return;
        }
        undeclineOwed = false;
        store.undecline(key).whenComplete((v, e) -> {
            if (e != null) {
                log.warn("{}: could not take back the messages this broker declined (its consumers changed); they"
                        + " stay with the other brokers: {}", queue, e.toString());
            }
            releasing.set(false);
            undeclineIfFree();
            wake(); // a claim in flight may have passed them by as still declined: it asks again after it
        });
    }

    /**
     * A broker purged the queue across the brokers ({@link SharedQueues#purge}): of what this broker holds waiting, the
     * messages the store names that were waiting when the purge was taken ({@link SharedQueues#heldBefore}) go, and
     * so do those it names whose claim has not come back yet, when it does ({@link PurgedClaims}).
     *
     * @return how many went from the queue now
     */
    int purged(SharedQueues.HeldBefore held) {
        long purge = purgedClaims.named(held);
        timer.schedule(() -> purgedClaims.forget(purge), PurgedClaims.KEEP_MILLIS);
        return queue.purgeStored(held.storeIds(), held.purgeNanos());
    }

    /** Another broker's consumers of the queue starve: yield some unseen prefetch (at most every HUNGER_MILLIS). */
    void hungerElsewhere() {
        if (once(yielded)) {
            int revoked = queue.sharing().yieldPrefetch();
            if (revoked > 0) {
                log.debug("{}: revoked {} prefetched message(s) for another broker's starving consumers", queue,
                        revoked);
            }
        }
    }

    /**
     * Messages may have become claimable (stored, released, undeclined, or a broker died holding some): ask the queue
     * again, or, during a claim, after it (the claim may have missed them).
     */
    void wake() {
        wokenWhileClaiming = true;
        if (!claiming.get()) {
            queue.sharing().askDemand();
        }
    }

    private void claimed(int max, long askedNanos, SharedQueues.Claims claims, Throwable failure) {
        if (failure != null && stopping.getAsBoolean()) {
            return; // the broker stopped under the claim: its store hands the claimed rows back as it closes
        }
        if (failure != null) {
            if (claimFailures.failed()) {
                log.error("{}: claiming messages from the shared store failed; trying again every {} ms: {}",
                        queue, RETRY_MILLIS, failure.toString());
            }
            timer.schedule(() -> {
                claiming.set(false);
                queue.sharing().askDemand();
            }, RETRY_MILLIS);
            return;
        }
        if (claimFailures.succeeded()) {
            log.info("{}: claims from the shared store succeed again", queue);
        }
        int purged = 0;
        for (SharedQueues.Claimed c : claims.claimed()) {
            if (purgedClaims.purged(c)) {
                purged++;
                dropped.accept(c.id());
            } else if (takes.test(c)) {
                queue.claimed(c.message(), c.id(), c.deliveryCount(), askedNanos);
            } else {
                dropped.accept(c.id());
            }
        }
        purgedClaims.claimReturned();
        if (purged > 0) {
            log.info("{}: purged {} message(s) of a purge across the brokers as their claim came back", queue, purged);
        }
        claiming.set(false);
        if (claims.claimed().isEmpty() && once(saidHungry)) {
            store.hungry(key);
        }
        if (claims.claimed().size() >= max || wokenWhileClaiming) {
            queue.sharing().askDemand();
        } else if (claims.nextDueMillis() > 0) {
            wakeAt(claims.nextDueMillis());
        }
    }

    /** A message becomes due then: one wake-up at the earliest such time. */
    private void wakeAt(long dueMillis) {
        long scheduled = dueWake.get();
        if (scheduled != 0 && scheduled <= dueMillis || !dueWake.compareAndSet(scheduled, dueMillis)) {
            return;
        }
        timer.schedule(() -> {
            dueWake.compareAndSet(dueMillis, 0);
            wake();
        }, Math.max(1, dueMillis - timer.now()));
    }

    private void release(List<SharedQueues.Released> back) {
        store.release(key, back).whenComplete((purged, e) -> {
            if (e != null && !stopping.getAsBoolean()) {
                // still leased to this broker: try until it takes them (or this broker dies and others reap them)
                log.warn("{}: handing {} message(s) back to the shared store failed; trying again in {} ms: {}",
                        queue, back.size(), RETRY_MILLIS, e.toString());
                timer.schedule(() -> release(back), RETRY_MILLIS);
                return;
            }
            if (e == null && purged > 0) {
                log.info("{}: purged {} message(s) of a purge across the brokers as they were handed back (they"
                        + " waited here when it was taken)", queue, purged);
            }
            releasing.set(false);
            undeclineIfFree();
            queue.sharing().askDemand(); // more to hand back, or room to claim what was declined made
        });
    }

    /** Whether {@link #HUNGER_MILLIS} passed since {@code last}, which then becomes now. */
    private boolean once(AtomicLong last) {
        long now = timer.now();
        long before = last.get();
        return now - before >= HUNGER_MILLIS && last.compareAndSet(before, now);
    }

    private static List<SharedQueues.Released> toReleased(List<HandedBack> back) {
        List<SharedQueues.Released> released = new ArrayList<>(back.size());
        long now = System.nanoTime();
        for (HandedBack h : back) {
            long waitedMicros = h.waitingSince() == 0 ? 0 : Math.max(0, (now - h.waitingSince()) / 1_000);
            released.add(new SharedQueues.Released(h.storeId(), h.deliveryCount(), h.deliverAtMillis(),
                    h.declined(), waitedMicros));
        }
        return released;
    }
}
