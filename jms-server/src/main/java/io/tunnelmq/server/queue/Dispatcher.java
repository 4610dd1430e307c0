package io.tunnelmq.server.queue;

import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands available messages to consumers with credit, in delivery order, each to the least-loaded consumer that may
 * take it (see {@link ConsumerRing}); with selectors, past messages nobody selects ({@link SelectiveDispatch}).
 * When dispatch leaves a consumer starving, it asks {@link PrefetchBalancer} to revoke prefetched messages from
 * another. Deliveries and revocations leave through the outbox; a queue sharing its backlog with other brokers
 * then says what its consumers could still take ({@link SharedBacklog}). Guarded by the queue's lock.
 */
final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final QueueContents q;
    private final LockTimers timers;
    private final ExpirySweep expiry;
    private final PeekLockQueue queue;
    private final PageIn pageIn;
    private final SharedBacklog handBack;
    /** {@link #rebalance}'s arguments, made once: it runs at every dispatch. */
    private final LongFunction<QueuedMessage> lockedMessage;
    private final Consumer<PrefetchBalancer.Revocation> revoke = this::revoke;

    Dispatcher(QueueContents contents, LockTimers timers, ExpirySweep expiry, PageIn pageIn, SharedBacklog handBack,
               PeekLockQueue queue) {
        this.q = contents;
        this.timers = timers;
        this.expiry = expiry;
        this.pageIn = pageIn;
        this.handBack = handBack;
        this.queue = queue;
        this.lockedMessage = contents.locked::get;
        pageIn.dispatchWith(this);
    }

    /**
     * Delivers what it can, then rebalances prefetch if the queue ran dry for someone. A paged-out message in the
     * way stops it until {@link PageIn} has read it back (and dispatches again).
     */
    void dispatch() {
        if (q.retired || !q.demand.mayDeliver()) {
            return;
        }
        long now = q.now();
        if (q.consumers.anySelector()) {
            SelectiveDispatch.dispatch(q.available, q.consumers, now, expiry::dropExpired,
                    (m, slot) -> lockFor(m, slot, now), pageIn::request);
            rebalance();
            pageIn.readAhead();
            handBack.signal();
            return;
        }
        QueuedMessage m;
        while ((m = q.available.first()) != null) {
            if (m.hasExpired(now)) {
                q.available.pollFirst();
                expiry.dropExpired(m);
                continue;
            }
            ConsumerSlot slot = q.consumers.chooseFor(m.size);
            if (slot == null) {
                pageIn.readAhead();
                handBack.signal();
                return; // no consumer could take a message: none is starving
            }
            if (m.isPagedOut()) {
                pageIn.request();
                break; // it dispatches again once the message is back
            }
            q.available.pollFirst();
            lockFor(m, slot, now);
        }
        rebalance();
        pageIn.readAhead();
        handBack.signal();
    }

    /**
     * A message arrived and consumers are as they were after the last dispatch, which left nothing any of them could
     * take: with selectors, only the newcomer needs looking at, so a backlog of messages nobody selects is not
     * scanned again for every send.
     */
    void dispatchArrival(QueuedMessage m) {
        if (!q.consumers.anySelector()) {
            dispatch();
            return;
        }
        if (q.retired || !q.consumers.anyCredit() || !q.demand.mayDeliver()) {
            return;
        }
        long now = q.now();
        if (m.hasExpired(now)) {
            q.available.remove(m);
            expiry.dropExpired(m);
            return;
        }
        if (m.isPagedOut()) {
            pageIn.request(); // selectors need it back in memory
            return;
        }
        ConsumerSlot slot = q.consumers.chooseFor(m.size, m.message, m.deliveryCount);
        if (slot != null) {
            q.available.remove(m);
            lockFor(m, slot, now);
        }
        handBack.signal();
    }

    /** A starving consumer may be owed messages another one only holds unseen in its prefetch. */
    void rebalance() {
        PrefetchBalancer.rebalance(q.consumers, lockedMessage, revoke);
    }

    private void revoke(PrefetchBalancer.Revocation revocation) {
        log.debug("queue {}: revoking {} prefetched message(s) of {} for a starving consumer", q.shownName,
                revocation.lockTokens().length, revocation.consumer());
        q.tally.revoked += revocation.lockTokens().length;
        q.outbox.add(() -> revocation.consumer().revoke(revocation.lockTokens()));
    }

    private void lockFor(QueuedMessage m, ConsumerSlot slot, long now) {
        QueueConsumer consumer = slot.consumer;
        long duration = timers.durationFor(consumer);
        long token = q.services.tokens().next();
        long until = LockTimers.until(now, duration);
        q.deliveredPagedIn(m);
        m.lock(token, consumer.owner(), until, duration);
        q.locked.put(token, m);
        q.consumers.delivered(slot, token, m.size);
        m.deliveredTo = slot;
        m.waitsAtDelivery = slot.waits;
        timers.start(m);
        q.delivered++;
        Delivery delivery = new Delivery(queue, consumer, token, m.deliveryCount, until, m.message, m.storeId);
        consumer.owner().lockTaken(delivery);
        q.outbox.add(() -> consumer.deliver(delivery));
    }
}
