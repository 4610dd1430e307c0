package io.tunnelmq.server.queue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * A queue's side of sharing its backlog with other brokers over one store ({@code store=postgresql}): there the
 * backlog waits in the database and the queue holds what this broker claimed for its consumers. After each dispatch
 * the queue tells its {@link QueueDemand} what its consumers could still take, or that it holds messages nobody here
 * takes; {@link #handBack} gives waiting stored messages back. Takes the queue's lock.
 */
public final class SharedBacklog {
    /** Ask for more while fewer than this many messages are available: consumers find the next ones here. */
    static final int LOW_WATER = 32;

    /** Stands for other brokers' consumers in revocations made for them (it is never attached). */
    static final QueueConsumer ELSEWHERE = new QueueConsumer() {
        @Override
        public LockOwner owner() {
            throw new UnsupportedOperationException("other brokers' consumers own no lock here");
        }

        @Override
        public long lockDurationMillis() {
            return 0;
        }

        @Override
        public void deliver(Delivery delivery) {
            throw new UnsupportedOperationException("nothing is delivered to other brokers' consumers from here");
        }
    };

    private final QueueContents q;
    private final QueueLock lock;

    SharedBacklog(QueueContents contents, QueueLock lock) {
        this.q = contents;
        this.lock = lock;
    }

    /**
     * Shares the backlog: from now on {@code demand} hears what the consumers could take and when waiting messages
     * have nobody here to take them, and is asked at once.
     */
    public void share(QueueDemand demand) {
        Objects.requireNonNull(demand, "demand");
        lock.underLock(() -> {
            q.demand = demand;
            signal();
            return null;
        });
    }

    /** A message for the queue was stored through this broker (a topic's copy made by the store): claim it. */
    public void arrived() {
        q.demand.arrived();
    }

    /** Asks again (a claim finished): the demand hears what consumers could take now. */
    public void askDemand() {
        lock.underLock(() -> {
            signal();
            return null;
        });
    }

    /**
     * Takes up to {@code max} waiting stored messages out of the queue (available ones in delivery order, then
     * scheduled ones), leaving their store records alone: the caller releases them in the shared store.
     */
    public List<HandedBack> handBack(int max) {
        return lock.underLock(() -> take(max));
    }

    /**
     * Other brokers' consumers of the queue starve while this broker's hold prefetched messages unseen: the newest
     * half of the largest such holding (at least one) is revoked, as for a starving consumer here ({@link
     * PrefetchBalancer}), and what comes back unseen is handed back to the store instead of dispatched here again
     * (unless a consumer here starves too).
     *
     * @return how many deliveries were revoked
     */
    public int yieldPrefetch() {
        return lock.underLock(() -> {
            ConsumerRing.Slot victim = null;
            for (ConsumerRing.Slot slot : q.consumers.slots()) {
                if (slot.revocable.size() > (victim == null ? 0 : victim.revocable.size())) {
                    victim = slot;
                }
            }
            if (victim == null) {
                return 0;
            }
            long[] tokens = victim.revoke(victim.newestRevocable((victim.revocable.size() + 1) / 2, null),
                    q.elsewhere);
            q.tally.revoked += tokens.length;
            QueueConsumer consumer = victim.consumer;
            q.outbox.add(() -> consumer.revoke(tokens));
            return tokens.length;
        });
    }

    /** Under the lock, after a dispatch: what the demand should hear, if anything. */
    void signal() {
        QueueDemand demand = q.demand;
        if (demand == QueueDemand.NONE || q.retired) {
            return;
        }
        if (q.consumers.size() == 0) {
            if (!q.available.isEmpty() || !q.scheduled.isEmpty()) {
                q.outbox.add(demand::surplus);
            }
            return;
        }
        if (q.owedBack > 0 && !q.available.isEmpty()) {
            q.outbox.add(demand::surplus); // revoked for other brokers and nobody here took it meanwhile
            return;
        }
        if (q.consumers.anyCredit() && (q.available.size() < LOW_WATER || q.consumers.anySelector())) {
            int wanted = q.consumers.creditRemaining() - q.available.size();
            if (wanted > 0) {
                q.outbox.add(() -> demand.wants(wanted));
            }
        }
    }

    private List<HandedBack> take(int asked) {
        int max = q.consumers.size() == 0 ? asked : Math.min(asked, q.owedBack);
        List<HandedBack> out = new ArrayList<>();
        for (Iterator<QueuedMessage> it = q.available.iterator(); it.hasNext() && out.size() < max; ) {
            QueuedMessage m = it.next();
            if (m.storeId != 0) {
                it.remove();
                out.add(new HandedBack(m.storeId, m.deliveryCount, 0));
                q.remove(m);
            }
        }
        for (Iterator<QueuedMessage> it = q.scheduled.iterator(); it.hasNext() && out.size() < max; ) {
            QueuedMessage m = it.next();
            if (m.storeId != 0) {
                it.remove(); // its delivery timer finds it gone and does nothing
                out.add(new HandedBack(m.storeId, m.deliveryCount, m.dueAt));
                q.remove(m);
            }
        }
        q.owedBack = Math.max(0, q.owedBack - out.size());
        return out;
    }
}
