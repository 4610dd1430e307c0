package io.tunnelmq.server.queue;

import io.tunnelmq.server.queue.AvailableMessages.Sweep;

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
    /** Available messages one hand-back looks at for ones no consumer selects: bounded work under the lock. */
    static final int WALK_LIMIT = 1024;

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
    /** Messages were declined since the consumers last changed ({@link HandedBack#declined}). Under the lock. */
    private boolean declinedSince;
    private int seenGeneration;

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
            ConsumerSlot victim = null;
            for (ConsumerSlot slot : q.consumers.slots()) {
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

    /**
     * Whether the queue holds a message of this id (available, locked or scheduled): a browser over the shared store
     * leaves out a message this broker claimed and no longer holds (completed, its delete not committed yet).
     */
    public boolean holds(String messageId) {
        return lock.underLock(() -> q.byMessageId.find(messageId, q) != null);
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
        if (seenGeneration != q.consumers.generation()) {
            seenGeneration = q.consumers.generation();
            if (declinedSince) {
                declinedSince = false;
                q.outbox.add(demand::consumersChanged);
            }
        }
        if (q.owedBack > 0 && !q.available.isEmpty()) {
            q.outbox.add(demand::surplus); // revoked for other brokers and nobody here took it meanwhile
            return;
        }
        if (q.consumers.anyCredit()) {
            int wanted = q.consumers.creditRemaining() - q.available.size();
            if (wanted > 0 && (q.available.size() < LOW_WATER || q.consumers.anySelector())) {
                q.outbox.add(() -> demand.wants(wanted));
            } else if (wanted <= 0 && q.consumers.anySelector()) {
                // what waits here blocks further claims: what none of the consumers selects goes back
                q.outbox.add(demand::surplus);
            }
        }
    }

    private List<HandedBack> take(int asked) {
        List<HandedBack> out = new ArrayList<>();
        if (q.consumers.size() > 0 && q.consumers.anySelector()) {
            declineUnselected(asked, out);
        }
        // with no consumer here, everything goes; else what was revoked for other brokers and came back
        int owed = Math.min(asked - out.size(), q.consumers.size() == 0 ? asked : q.owedBack);
        int before = out.size();
        int taken = owed <= 0 ? 0 : q.available.sweep(m -> {
            if (out.size() - before >= owed) {
                return Sweep.STOP;
            }
            if (m.storeId == 0) {
                return Sweep.KEEP;
            }
            out.add(new HandedBack(m.storeId, m.deliveryCount, 0, false, m.waitingAgainSince));
            q.remove(m);
            return Sweep.TAKE;
        });
        for (Iterator<QueuedMessage> it = q.scheduled.iterator(); it.hasNext() && taken < owed; ) {
            QueuedMessage m = it.next();
            if (m.storeId != 0) {
                it.remove(); // its delivery timer finds it gone and does nothing
                out.add(new HandedBack(m.storeId, m.deliveryCount, m.dueAt, false, m.waitingAgainSince));
                q.remove(m);
                taken++;
            }
        }
        q.owedBack = Math.max(0, q.owedBack - taken);
        return out;
    }

    /** Takes waiting messages none of the consumers selects (in memory, within {@link #WALK_LIMIT}), declined. */
    private void declineUnselected(int asked, List<HandedBack> out) {
        int[] walked = {0};
        q.available.sweep(m -> {
            if (out.size() >= asked || walked[0]++ >= WALK_LIMIT) {
                return Sweep.STOP;
            }
            if (m.storeId == 0 || m.isPagedOut() || q.consumers.anySelects(m.message, m.deliveryCount)) {
                return Sweep.KEEP;
            }
            out.add(new HandedBack(m.storeId, m.deliveryCount, 0, true, m.waitingAgainSince));
            q.remove(m);
            declinedSince = true;
            return Sweep.TAKE;
        });
    }
}
