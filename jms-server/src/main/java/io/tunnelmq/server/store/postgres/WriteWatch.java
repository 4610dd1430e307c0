package io.tunnelmq.server.store.postgres;

import io.tunnelmq.protocol.FailureStreak;
import io.tunnelmq.server.store.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Says when the store's writes start failing (at ERROR, once per failing streak) and when they succeed again (INFO);
 * a write the database refused for its data alone at WARN, once per ten seconds (the store is fine); one that fails
 * after the store closed only at DEBUG. Thread-safe.
 */
final class WriteWatch {
    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
    private static final long REFUSALS_QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String where;
    private final BooleanSupplier closed;
    private final FailureStreak writes = new FailureStreak();
    private final AtomicLong lastRefusalNanos = new AtomicLong(System.nanoTime() - REFUSALS_QUIET_NANOS);

    WriteWatch(String where, BooleanSupplier closed) {
        this.where = where;
        this.closed = closed;
    }

    /** At WARN at most once per {@link #REFUSALS_QUIET_NANOS} (a client may send what the database refuses often). */
    private void refused(RefusedWrite refused) {
        long now = System.nanoTime();
        long last = lastRefusalNanos.get();
        if (now - last >= REFUSALS_QUIET_NANOS && lastRefusalNanos.compareAndSet(last, now)) {
            log.warn("PostgreSQL store at {}: the database refused a write for its data (only that write failed; more"
                    + " such within {} s are logged at DEBUG): {}", where,
                    TimeUnit.NANOSECONDS.toSeconds(REFUSALS_QUIET_NANOS), refused.getMessage());
        } else {
            log.debug("PostgreSQL store at {}: the database refused a write for its data: {}", where,
                    refused.getMessage());
        }
    }

    /** Whether writes fail now: the last one that ended failed on the database, not on its data. */
    boolean failing() {
        return writes.failing();
    }

    /** {@code commit}, watched. */
    <T> CompletableFuture<T> watch(CompletableFuture<T> commit) {
        return commit.whenComplete((v, e) -> {
            if (e == null) {
                if (writes.succeeded()) {
                    log.info("PostgreSQL store at {}: writes succeed again", where);
                }
            } else if (closed.getAsBoolean()) {
                log.debug("PostgreSQL store at {}: a write after close failed: {}", where, e.toString());
            } else if (Failures.cause(e) instanceof RefusedWrite refused) {
                refused(refused);
            } else if (writes.failed()) {
                // the message, not the stack: a JDBC batch's exception quotes its statements, message bodies included
                log.error("PostgreSQL store at {}: a write failed; persistent sends and commits are refused until"
                        + " writes succeed again (is the database up and reachable?): {}", where,
                        Failures.cause(e).getMessage());
            } else {
                log.debug("PostgreSQL store at {}: a write failed: {}", where, e.toString());
            }
        });
    }
}
