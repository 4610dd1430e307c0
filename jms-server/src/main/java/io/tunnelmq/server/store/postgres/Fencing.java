package io.tunnelmq.server.store.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * When this broker must stop acting as one of the brokers over the database. The others take a broker for dead once
 * its heartbeat is {@code staleMillis} old by the database's clock, and hand what it claimed on; a broker that is
 * merely cut off or paused would go on delivering those messages beside whoever claims them next. So it takes itself
 * for dead first: when its last heartbeat that reached the database began {@code staleMillis - heartbeatMillis / 2}
 * ago (the heartbeat's time in the database is no earlier than that start), or at once when a heartbeat finds its
 * row gone (it was taken for dead already). Then it is fenced for good: it no longer beats, and the broker that listens
 * ({@link io.tunnelmq.server.store.SharedQueues#listenFenced}) stops serving with this store; a new store (a new
 * broker id) must join again. Thread-safe.
 */
final class Fencing {
    private static final Logger log = LoggerFactory.getLogger(Fencing.class);

    private final long limitNanos;
    private final LongSupplier clock;
    private final String where;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean fenced = new AtomicBoolean();
    private volatile long lastBeatStartNanos;

    /** @param clock {@link System#nanoTime} but in tests */
    Fencing(PostgresSettings settings, LongSupplier clock) {
        this.limitNanos = (settings.staleMillis() - settings.heartbeatMillis() / 2) * 1_000_000L;
        this.clock = clock;
        this.where = settings.where();
        this.lastBeatStartNanos = clock.getAsLong();
    }

    /** When a heartbeat begins: its start, for {@link #beatReached} once it reached the database. */
    long beatStarts() {
        return clock.getAsLong();
    }

    /** A heartbeat that began at {@code startNanos} updated this broker's row. */
    void beatReached(long startNanos) {
        if (startNanos - lastBeatStartNanos > 0) {
            lastBeatStartNanos = startNanos;
        }
    }

    /** Whether this broker may deliver what it claimed: not fenced, and its last heartbeat not too old. */
    boolean serving() {
        return !fenced.get() && silentNanos() < limitNanos;
    }

    /** Fences this broker if its last heartbeat that reached the database is too old; called now and then. */
    void check() {
        long silent = silentNanos();
        if (silent >= limitNanos) {
            fence("no heartbeat reached the database for " + silent / 1_000_000 + " ms: the other brokers may take it"
                    + " for dead at any moment");
        }
    }

    /** How long ago the last heartbeat that reached the database began. */
    private long silentNanos() {
        return clock.getAsLong() - lastBeatStartNanos;
    }

    /** Fences this broker (once), saying why, and tells the listeners. */
    void fence(String why) {
        if (!fenced.compareAndSet(false, true)) {
            return;
        }
        log.error("PostgreSQL store at {}: this broker stops serving as one of the brokers over the database ({});"
                + " what it claimed is handed on to the others, and its clients fail over", where, why);
        listeners.forEach(Runnable::run);
    }

    boolean fenced() {
        return fenced.get();
    }

    /** {@code listener} runs once, on the thread that fences (the heartbeat's or the watchdog's): it must not block. */
    void listen(Runnable listener) {
        AtomicBoolean told = new AtomicBoolean();
        Runnable once = () -> {
            if (told.compareAndSet(false, true)) {
                listener.run();
            }
        };
        listeners.add(once);
        if (fenced.get()) {
            once.run(); // fenced meanwhile: the fence may have run before the listener was there
        }
    }
}
