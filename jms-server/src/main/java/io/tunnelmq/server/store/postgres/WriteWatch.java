package io.tunnelmq.server.store.postgres;

import io.tunnelmq.server.store.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Says when the store's writes start failing (at ERROR, once per failing streak) and when they succeed again (INFO);
 * a write that fails after the store closed only at DEBUG. Thread-safe.
 */
final class WriteWatch {
    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);

    private final String where;
    private final BooleanSupplier closed;
    private final AtomicBoolean failing = new AtomicBoolean();

    WriteWatch(String where, BooleanSupplier closed) {
        this.where = where;
        this.closed = closed;
    }

    /** {@code commit}, watched. */
    <T> CompletableFuture<T> watch(CompletableFuture<T> commit) {
        return commit.whenComplete((v, e) -> {
            if (e == null) {
                if (failing.get() && failing.compareAndSet(true, false)) {
                    log.info("PostgreSQL store at {}: writes succeed again", where);
                }
            } else if (closed.getAsBoolean()) {
                log.debug("PostgreSQL store at {}: a write after close failed: {}", where, e.toString());
            } else if (failing.compareAndSet(false, true)) {
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
