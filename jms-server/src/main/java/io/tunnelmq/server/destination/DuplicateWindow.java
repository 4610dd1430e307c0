package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.server.store.MessageStore;
import io.tunnelmq.server.store.StoreIds;
import io.tunnelmq.server.store.StoreOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * What the broker remembers of its producers so that a persistent send resent after a lost confirmation is stored
 * once: per producer id, the highest sequence it stored. Sends of one producer arrive in order (one session), so
 * that number is enough: a stamped send at or below it is a resend, answered without storing or delivering it again.
 *
 * <p>The number is durable in the same atomic store write as the message (one small record per producer, its
 * annotation the latest sequence), so a crash can never keep the message and lose the number or the other way
 * round, and the record outlives the message's deletion and journal compaction (it is live until the producer
 * leaves the window). A producer leaves the window when it stored nothing for {@link Settings#windowMillis()}
 * (wall clock, so a broker's downtime counts) or when more than {@link Settings#maxProducers()} producers are
 * remembered (the one idle longest goes): memory stays bounded however many producers come and go.
 *
 * <p>Committed transactions are remembered the same way ({@link #commit}): a transaction id is a session's random
 * id and the transaction's number in it, recorded in the commit's own atomic store write, so the broker can later say
 * whether a commit whose answer the client lost was applied ({@link #committed}): after a crash it knows the id iff
 * the commit's effects survived.
 *
 * <p>A stamped message that is not stored anywhere (a temporary queue, a topic without durable subscriptions, a
 * broker without a journal) is remembered in memory only. Thread-safe: the map under one short lock, a producer's
 * check-and-write under its own, so the store sees one producer's writes in sequence order.
 */
public final class DuplicateWindow {
    private static final Logger log = LoggerFactory.getLogger(DuplicateWindow.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /**
     * How long and how many producers the broker remembers.
     *
     * @param windowMillis how long after its last stored send a producer is remembered (default 24 h): a resend must
     *                     come within it, time the broker was down included
     * @param maxProducers the most producers remembered at once (default 50,000; about 300 bytes of heap each)
     */
    public record Settings(long windowMillis, int maxProducers) {
        /** 24 hours, 50,000 producers. */
        public static final Settings DEFAULTS = new Settings(24L * 60 * 60 * 1000, 50_000);

        public Settings {
            if (windowMillis <= 0 || maxProducers <= 0) {
                throw new IllegalArgumentException("the duplicate window needs a time > 0 and a producer count > 0,"
                        + " was " + windowMillis + " ms, " + maxProducers + " producers");
            }
        }
    }

    /**
     * What became of a stamped send.
     *
     * @param resend         whether it was a resend: nothing was written, and the caller must neither deliver it
     *                       nor count it
     * @param write          completes once the message (for a resend: its first copy) is durable, or with the
     *                       store's failure
     * @param resendAfterAll read once {@code write} completed: whether it was a resend after all ({@code resend} is
     *                       false for a send decided once a shared store said what it holds of its producer)
     */
    public record Outcome(boolean resend, CompletableFuture<Void> write, BooleanSupplier resendAfterAll) {
        public Outcome(boolean resend, CompletableFuture<Void> write) {
            this(resend, write, () -> resend);
        }
    }

    /** What the broker can say about a transaction id ({@link #committed}). */
    public enum CommitAnswer {
        /** The commit with that id was applied (its write is durable). */
        COMMITTED,
        /** No commit with that id was applied, and none will be. */
        NOT_COMMITTED,
        /** The id is not remembered, but the window dropped producers for room lately: it may have been one of them. */
        UNKNOWN
    }

    /** A producer found in the store at start. */
    public record Recovered(long recordId, ProducerStamp last, long storedAtMillis) {
    }

    /** One remembered producer. Fields guarded by the instance itself. */
    private final Settings settings;
    private final LongSupplier clock;
    private final StoreIds ids;
    private final MessageStore store;
    private final ProducerLookups lookups;
    /** Least recently used first. Guarded by itself. */
    private final LinkedHashMap<UUID, WindowProducer> producers = new LinkedHashMap<>(64, 0.75f, true);
    /** When a producer last left the window for room (not for age), or 0. Guarded by {@link #producers}. */
    private long crowdedOutAtMillis;

    /**
     * @param clock wall-clock millis (the window survives restarts, so it is measured in epoch time)
     * @param ids   issues the ids of producer records
     * @param store where producer records are written and removed
     */
    public DuplicateWindow(Settings settings, LongSupplier clock, StoreIds ids, MessageStore store) {
        this(settings, clock, ids, store, null);
    }

    /**
     * @param lookups the producers other brokers sharing the store may have stored sends of; null: none
     */
    DuplicateWindow(Settings settings, LongSupplier clock, StoreIds ids, MessageStore store, ProducerLookups lookups) {
        this.settings = settings;
        this.clock = clock;
        this.ids = ids;
        this.store = store;
        this.lookups = lookups;
    }

    /** How many producers are remembered now. */
    public int size() {
        synchronized (producers) {
            return producers.size();
        }
    }

    /**
     * Stores a stamped send once: a resend is answered by the outcome of its first copy; a new send is written as
     * {@code messageOps} plus the producer's new sequence, in one atomic batch (nothing is written if
     * {@code messageOps} is empty: the message is stored nowhere).
     *
     * @param write writes a batch to the store
     */
    public Outcome send(ProducerStamp stamp, List<StoreOp> messageOps,
                        Function<List<StoreOp>, CompletableFuture<Void>> write) {
        Outcome deferred = lookups == null ? null : lookups.deferred(this, stamp, messageOps, write);
        return deferred != null ? deferred : decide(stamp, messageOps, write);
    }

    /** {@link #send}, deciding now on what the window knows. */
    Outcome decide(ProducerStamp stamp, List<StoreOp> messageOps,
                   Function<List<StoreOp>, CompletableFuture<Void>> write) {
        while (true) {
            WindowProducer producer = producer(stamp.producerId());
            synchronized (producer) {
                if (producer.forgotten) {
                    continue; // it left the window between the look-up and now: look it up afresh
                }
                long now = clock.getAsLong();
                producer.lastUsedMillis = now;
                long sequence = stamp.sequence();
                if (sequence <= producer.stored) {
                    return new Outcome(true, DONE);
                }
                if (sequence <= producer.accepted) {
                    return new Outcome(true, producer.lastWrite);
                }
                producer.accepted = sequence;
                if (messageOps.isEmpty()) {
                    if (producer.lastWrite.isDone() && !producer.lastWrite.isCompletedExceptionally()) {
                        producer.stored = sequence;
                    }
                    return new Outcome(false, DONE);
                }
                return new Outcome(false, writeWithSequence(producer, sequence, now, messageOps, write));
            }
        }
    }

    /**
     * Writes a commit's {@code ops} together with its transaction id, as one atomic batch, even when {@code ops} is
     * empty (a commit of non-persistent work, or of nothing): the id is then as durable as any commit can be. The
     * id's session is a producer of this window; a transaction number at or below one already recorded is recorded
     * again (harmless: {@link #committed} says yes for it either way; clients never reuse one).
     *
     * @return completes once the batch is durable, or with the store's failure (then nothing of it is stored)
     */
    public CompletableFuture<Void> commit(ProducerStamp transactionId, List<StoreOp> ops,
                                          Function<List<StoreOp>, CompletableFuture<Void>> write) {
        while (true) {
            WindowProducer producer = producer(transactionId.producerId());
            synchronized (producer) {
                if (producer.forgotten) {
                    continue;
                }
                long now = clock.getAsLong();
                producer.lastUsedMillis = now;
                producer.accepted = Math.max(producer.accepted, transactionId.sequence());
                return writeWithSequence(producer, transactionId.sequence(), now, ops, write);
            }
        }
    }

    /**
     * Whether the commit with this transaction id was applied. A commit whose write is still on its way is waited
     * for: the answer is final. The caller must make sure no commit with this id can still arrive (the connection
     * that might carry it has ended).
     */
    public CompletableFuture<CommitAnswer> committed(ProducerStamp transactionId) {
        WindowProducer producer;
        synchronized (producers) {
            producer = producers.get(transactionId.producerId());
            if (producer == null && lookups != null) {
                return lookups.committed(transactionId); // its commit may have gone through another broker
            }
            if (producer == null) {
                boolean crowded = crowdedOutAtMillis != 0
                        && clock.getAsLong() - crowdedOutAtMillis <= settings.windowMillis();
                return CompletableFuture.completedFuture(crowded ? CommitAnswer.UNKNOWN : CommitAnswer.NOT_COMMITTED);
            }
        }
        synchronized (producer) {
            long sequence = transactionId.sequence();
            if (sequence <= producer.stored) {
                return CompletableFuture.completedFuture(CommitAnswer.COMMITTED);
            }
            if (sequence <= producer.accepted) {
                // a write that fails resets accepted; a later commit of the same session cannot have started yet
                return producer.lastWrite.handle((v, e) -> e == null ? CommitAnswer.COMMITTED
                        : CommitAnswer.NOT_COMMITTED);
            }
            return CompletableFuture.completedFuture(CommitAnswer.NOT_COMMITTED);
        }
    }

    private CompletableFuture<Void> writeWithSequence(WindowProducer producer, long sequence, long now,
                                                      List<StoreOp> ops,
                                                      Function<List<StoreOp>, CompletableFuture<Void>> write) {
        List<StoreOp> batch = new ArrayList<>(ops.size() + 1);
        batch.addAll(ops);
        boolean adds = producer.recordId == 0;
        if (adds) {
            producer.recordId = ids.next();
            batch.add(new StoreOp.AddProducer(producer.recordId, new ProducerStamp(producer.id, sequence), now));
        } else {
            batch.add(new StoreOp.SetProducerSequence(producer.recordId, sequence, now));
        }
        long recordId = producer.recordId;
        CompletableFuture<Void> written = write.apply(batch);
        producer.lastWrite = written;
        written.whenComplete((v, e) -> {
            synchronized (producer) {
                if (e == null) {
                    producer.stored = Math.max(producer.stored, sequence);
                    return;
                }
                if (producer.lastWrite == written) {
                    producer.accepted = producer.stored; // its resend is a new send again
                }
                if (adds && producer.recordId == recordId) {
                    producer.recordId = 0; // the record was never written: the next write adds it
                }
            }
        });
        return written;
    }

    /** The producer of that id, remembered from now on if it was not; forgets producers out of the window. */
    private WindowProducer producer(UUID id) {
        List<WindowProducer> forgotten = null;
        WindowProducer producer;
        synchronized (producers) {
            producer = producers.get(id);
            long now = clock.getAsLong();
            if (producer != null && expired(producer, now)) {
                forgotten = forget(id, null);
                producer = null;
            }
            if (producer == null) {
                producer = new WindowProducer(id);
                producer.lastUsedMillis = now;
                producers.put(id, producer);
                forgotten = evict(now, forgotten);
            }
        }
        removeRecords(forgotten);
        return producer;
    }

    /** Whether it remembers the producer now. */
    boolean knows(UUID producerId) {
        synchronized (producers) {
            return producers.containsKey(producerId);
        }
    }

    /** A producer another broker stored sends of (a shared store said so): remembered as if recovered. */
    void learn(Recovered found) {
        if (!knows(found.last().producerId())) {
            restore(List.of(found));
        }
    }

    /**
     * Restores what the store held at start, before connections are accepted; producers already out of the window
     * are removed from the store.
     */
    public void restore(List<Recovered> recovered) {
        List<WindowProducer> forgotten = null;
        List<Recovered> byAge = new ArrayList<>(recovered);
        byAge.sort(Comparator.comparingLong(Recovered::storedAtMillis));
        synchronized (producers) {
            for (Recovered r : byAge) {
                ids.recovered(r.recordId());
                WindowProducer producer = new WindowProducer(r.last().producerId());
                producer.recordId = r.recordId();
                producer.stored = r.last().sequence();
                producer.accepted = r.last().sequence();
                producer.lastUsedMillis = r.storedAtMillis();
                WindowProducer replaced = producers.put(producer.id, producer);
                if (replaced != null) {
                    // two records of one producer (it left the window and came back while a Delete was lost)
                    forgotten = add(forgotten, replaced);
                    producer.stored = Math.max(producer.stored, replaced.stored);
                    producer.accepted = producer.stored;
                }
            }
            forgotten = evict(clock.getAsLong(), forgotten);
        }
        removeRecords(forgotten);
    }

    /** Drops the longest idle producers while they are out of the window or too many. Under the map's lock. */
    private List<WindowProducer> evict(long now, List<WindowProducer> forgotten) {
        Iterator<WindowProducer> eldest = producers.values().iterator();
        while (eldest.hasNext()) {
            WindowProducer p = eldest.next();
            boolean crowded = producers.size() > settings.maxProducers();
            if (!crowded && !expired(p, now)) {
                break;
            }
            if (crowded && !expired(p, now)) {
                crowdedOutAtMillis = now;
            }
            eldest.remove();
            forgotten = add(forgotten, p);
        }
        return forgotten;
    }

    private List<WindowProducer> forget(UUID id, List<WindowProducer> forgotten) {
        return add(forgotten, producers.remove(id));
    }

    private boolean expired(WindowProducer producer, long now) {
        // read without the producer's lock: a stale time only forgets a producer a moment early or late
        return now - producer.lastUsedMillis > settings.windowMillis();
    }

    private static List<WindowProducer> add(List<WindowProducer> list, WindowProducer p) {
        List<WindowProducer> out = list == null ? new ArrayList<>() : list;
        out.add(p);
        return out;
    }

    /** Outside the map's lock: takes each producer's own lock so no write of it is half-way. */
    private void removeRecords(List<WindowProducer> forgotten) {
        if (forgotten == null) {
            return;
        }
        List<StoreOp> removes = new ArrayList<>();
        for (WindowProducer p : forgotten) {
            synchronized (p) {
                p.forgotten = true;
                if (p.recordId != 0) {
                    removes.add(new StoreOp.RemoveProducer(p.recordId));
                }
            }
        }
        if (!removes.isEmpty()) {
            log.debug("{} producer(s) left the duplicate window", removes.size());
            store.writeLazily(removes);
        }
    }
}
