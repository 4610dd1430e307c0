package io.tunnelmq.server.cluster;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoreIds;
import io.tunnelmq.server.store.StoredQueue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The claim model of {@link SharedQueues} in memory, for the feed's tests: rows with a lease owner, claimed in
 * priority then first-stored order, and every broker's listener told of a queue's new or released rows. One
 * instance per broker, over one shared {@link Rows}. (The real thing is tested on PostgreSQL.)
 */
public final class SharedQueuesInMemory implements SharedQueues {
    /** The shared table. */
    public static final class Rows {
        private final List<Row> rows = new ArrayList<>();
        private final List<Consumer<StoredQueue>> listeners = new CopyOnWriteArrayList<>();
        private final Map<String, Consumer<StoredQueue>> hungerListeners = new ConcurrentHashMap<>();
        private final Map<String, Consumer<Purged>> purgeListeners = new ConcurrentHashMap<>();
        /** When each purge was taken, by its position ({@link System#nanoTime}). */
        private final Map<Long, Long> purgeNanos = new ConcurrentHashMap<>();
        /** The position of each queue's last purge. */
        private final Map<StoredQueue, Long> lastPurge = new ConcurrentHashMap<>();
        /** The purges each broker that does not listen now ({@link #deaf}) will hear when it listens again. */
        private final Map<String, List<Purged>> missedPurges = new ConcurrentHashMap<>();
        /** How much earlier than it was a purge's moment is named (a store's round trip makes it earlier). */
        private volatile long purgeNamedEarlyNanos;
        private final StoreIds ids = new StoreIds();
        private long seq;

        /** A message stored through some broker. */
        public long add(StoredQueue queue, WireMessage message) {
            long id = ids.next();
            synchronized (this) {
                rows.add(new Row(id, queue, message, ++seq));
            }
            listeners.forEach(l -> l.accept(queue));
            return id;
        }

        synchronized void remove(long id) {
            rows.removeIf(r -> r.id == id);
        }

        /** Names each purge's moment this much earlier than it was, as a store with a slow round trip does. */
        public void namePurgesEarly(long nanos) {
            purgeNamedEarlyNanos = nanos;
        }

        synchronized int count(String owner) {
            return (int) rows.stream().filter(r -> owner == null ? r.owner == null : owner.equals(r.owner)).count();
        }
    }

    private static final class Row {
        final long id;
        final StoredQueue queue;
        final WireMessage message;
        final long seq;
        String owner;
        /** The claim that leased it to its owner. */
        long claimId;
        final java.util.Set<String> declinedBy = new java.util.HashSet<>();
        int deliveryCount = 1;
        long deliverAt;

        Row(long id, StoredQueue queue, WireMessage message, long seq) {
            this.id = id;
            this.queue = queue;
            this.message = message;
            this.seq = seq;
            this.deliverAt = message.deliveryTime();
        }
    }

    private final Rows rows;
    private final String brokerId;
    /** Claims made so far: the last one's id. */
    private final AtomicLong claims = new AtomicLong();
    /** Claims whose rows were taken, waiting for the test to complete them ({@link #holdClaims}). */
    private final Queue<Runnable> heldClaims = new ConcurrentLinkedQueue<>();
    private volatile boolean holding;
    private volatile boolean serving = true;

    public SharedQueuesInMemory(Rows rows, String brokerId) {
        this.rows = rows;
        this.brokerId = brokerId;
    }

    @Override
    public String brokerId() {
        return brokerId;
    }

    @Override
    public StoreIds ids() {
        return rows.ids;
    }

    @Override
    public CompletableFuture<Claims> claim(StoredQueue queue, int max, long nowMillis, Executor executor) {
        long claimId = claims.incrementAndGet();
        List<Claimed> claimed = new ArrayList<>();
        long nextDue = 0;
        synchronized (rows) {
            List<Row> free = rows.rows.stream().filter(r -> r.queue.equals(queue) && r.owner == null
                            && !r.declinedBy.contains(brokerId))
                    .sorted(Comparator.comparingInt((Row r) -> -r.message.priority()).thenComparingLong(r -> r.seq))
                    .toList();
            for (Row r : free) {
                if (r.deliverAt > nowMillis) {
                    nextDue = nextDue == 0 ? r.deliverAt : Math.min(nextDue, r.deliverAt);
                } else if (claimed.size() < max) {
                    r.owner = brokerId;
                    r.claimId = claimId;
                    claimed.add(new Claimed(r.id, r.message, r.deliveryCount, null, claimId));
                }
            }
        }
        Claims result = new Claims(claimed, claimed.size() < max ? nextDue : 0);
        if (holding) {
            CompletableFuture<Claims> later = new CompletableFuture<>();
            heldClaims.add(() -> later.complete(result));
            return later;
        }
        return CompletableFuture.supplyAsync(() -> result, executor);
    }

    /**
     * From now on a claim takes its rows at once but completes only when the test says ({@link #completeHeldClaim}):
     * the test decides what happens while it is in flight.
     */
    void holdClaims() {
        holding = true;
    }

    /** Claims in flight, held for the test ({@link #holdClaims}). */
    int claimsHeld() {
        return heldClaims.size();
    }

    /** Claims complete as they are made again, and those held now complete. */
    void stopHolding() {
        holding = false;
        for (Runnable next; (next = heldClaims.poll()) != null; ) {
            next.run();
        }
    }

    /** Completes the oldest held claim on the caller's thread: what the feed does with it is done when this returns. */
    void completeHeldClaim() {
        Runnable next = heldClaims.poll();
        if (next == null) {
            throw new AssertionError(brokerId + " has no claim in flight");
        }
        next.run();
    }

    @Override
    public CompletableFuture<Integer> release(StoredQueue queue, List<Released> released) {
        int purged = 0;
        synchronized (rows) {
            Long purge = rows.lastPurge.get(queue);
            long now = System.nanoTime();
            for (Released back : released) {
                // waited here since before the queue's last purge, which passed it by as held here: it goes
                if (purge != null && back.waitedMicros() > 0
                        && rows.purgeNanos.get(purge) - (now - back.waitedMicros() * 1_000) > 0) {
                    if (rows.rows.removeIf(r -> r.id == back.id() && brokerId.equals(r.owner) && r.seq < purge)) {
                        purged++;
                    }
                }
                for (Row r : rows.rows) {
                    if (r.id == back.id() && brokerId.equals(r.owner)) {
                        r.owner = null;
                        if (back.declined()) {
                            r.declinedBy.add(brokerId);
                        }
                        r.deliveryCount = Math.max(r.deliveryCount, back.deliveryCount());
                        r.deliverAt = back.deliverAtMillis();
                    }
                }
            }
        }
        rows.listeners.forEach(l -> l.accept(queue));
        return CompletableFuture.completedFuture(purged);
    }

    @Override
    public CompletableFuture<BrowseRows> browse(StoredQueue queue, long fromKey, int max, long nowMillis,
                                               Executor executor) {
        List<WireMessage> messages = new ArrayList<>();
        List<Long> keys = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        List<Boolean> mine = new ArrayList<>();
        boolean end;
        synchronized (rows) {
            List<Row> visible = rows.rows.stream().filter(r -> r.queue.equals(queue) && r.deliverAt <= nowMillis
                            && key(r) >= fromKey).sorted(Comparator.comparingLong(SharedQueuesInMemory::key)).toList();
            for (Row r : visible.subList(0, Math.min(max, visible.size()))) {
                messages.add(r.message);
                keys.add(key(r));
                counts.add(r.deliveryCount);
                mine.add(brokerId.equals(r.owner));
            }
            end = visible.size() <= max;
        }
        boolean[] held = new boolean[mine.size()];
        for (int i = 0; i < held.length; i++) {
            held[i] = mine.get(i);
        }
        BrowseRows result = new BrowseRows(messages, keys.stream().mapToLong(Long::longValue).toArray(), held,
                counts.stream().mapToInt(Integer::intValue).toArray(), new String[messages.size()], end);
        return CompletableFuture.supplyAsync(() -> result, executor);
    }

    private static long key(Row r) {
        return ((long) (9 - r.message.priority()) << 59) | r.seq;
    }

    @Override
    public CompletableFuture<StoredProducer> producer(java.util.UUID producerId) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void listenSubscriptions(java.util.function.LongConsumer changed) {
    }

    @Override
    public CompletableFuture<io.tunnelmq.server.store.DurableSubscription> subscription(long id) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public io.tunnelmq.server.store.SharedSubscriptions subscriptions() {
        return null; // the feed's tests hold none
    }

    @Override
    public io.tunnelmq.server.store.SharedClientIds clientIds() {
        return null; // the feed's tests open no connections
    }

    @Override
    public CompletableFuture<List<Expired>> claimExpired(int max, long nowMillis, Executor executor) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<Map<Long, io.tunnelmq.server.store.DurableSubscription>> durableSubscriptions() {
        return CompletableFuture.completedFuture(Map.of());
    }

    @Override
    public CompletableFuture<Void> seenElsewhere(StoredQueue queue, List<String> messageIds) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> undecline(StoredQueue queue) {
        synchronized (rows) {
            rows.rows.stream().filter(r -> r.queue.equals(queue)).forEach(r -> r.declinedBy.remove(brokerId));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Backlog> backlog() {
        return CompletableFuture.completedFuture(Backlog.NONE);
    }

    @Override
    public void hungry(StoredQueue queue) {
        rows.hungerListeners.forEach((broker, listener) -> {
            if (!broker.equals(brokerId)) {
                listener.accept(queue);
            }
        });
    }

    @Override
    public void listenFenced(Runnable fenced) {
        // this fake never fences: its brokers share one JVM's memory and never miss a heartbeat
    }

    @Override
    public boolean serving() {
        return serving;
    }

    /** From now on this broker may not deliver what it claimed, as one about to be fenced ({@link #serving}). */
    void stopServing() {
        serving = false;
    }

    /** Removes the queue's unclaimed rows stored before it, then tells every other broker before it returns. */
    @Override
    public CompletableFuture<PurgeResult> purge(StoredQueue queue) {
        int purged;
        long before;
        synchronized (rows) {
            before = ++rows.seq;
            int count = rows.rows.size();
            rows.rows.removeIf(r -> r.queue.equals(queue) && r.owner == null && r.seq < before);
            purged = count - rows.rows.size();
        }
        rows.purgeNanos.put(before, System.nanoTime());
        rows.lastPurge.put(queue, before);
        Purged purge = new Purged(queue, before);
        rows.purgeListeners.forEach((broker, listener) -> {
            List<Purged> missed = rows.missedPurges.get(broker);
            if (missed != null) {
                missed.add(purge);
            } else if (!broker.equals(brokerId)) {
                listener.accept(purge);
            }
        });
        return CompletableFuture.completedFuture(new PurgeResult(before, purged));
    }

    @Override
    public void listenPurged(Consumer<Purged> purged) {
        rows.purgeListeners.put(brokerId, purged);
    }

    /** This broker stops hearing purges, as a broker whose listening connection is down. */
    public void deaf() {
        rows.missedPurges.put(brokerId, new CopyOnWriteArrayList<>());
    }

    /** This broker listens again and hears the purges it missed, its own among them (as a reconnected listener). */
    public void hearAgain() {
        List<Purged> missed = rows.missedPurges.remove(brokerId);
        missed.forEach(rows.purgeListeners.get(brokerId));
    }

    @Override
    public CompletableFuture<HeldBefore> heldBefore(StoredQueue queue, long before) {
        Long purgeNanos = rows.purgeNanos.get(before);
        if (purgeNanos == null) {
            return CompletableFuture.completedFuture(HeldBefore.none());
        }
        synchronized (rows) {
            List<Row> held = rows.rows.stream().filter(r -> r.queue.equals(queue) && brokerId.equals(r.owner)
                    && r.seq < before).toList();
            return CompletableFuture.completedFuture(new HeldBefore(held.stream().mapToLong(r -> r.id).toArray(),
                    held.stream().mapToLong(r -> r.claimId).toArray(), purgeNanos - rows.purgeNamedEarlyNanos));
        }
    }

    @Override
    public void listenHungry(Consumer<StoredQueue> hungry) {
        rows.hungerListeners.put(brokerId, hungry);
    }

    @Override
    public void listen(Consumer<StoredQueue> wake) {
        rows.listeners.add(wake);
    }
}
