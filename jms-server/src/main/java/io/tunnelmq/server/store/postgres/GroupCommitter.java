package io.tunnelmq.server.store.postgres;

import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoreException;
import io.tunnelmq.server.store.StoreOp;
import io.tunnelmq.server.store.StoredQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit into the database: callers queue batches and return at once; one writer thread takes every batch
 * waiting and commits them in ONE transaction (JDBC batches of prepared statements), then completes their futures.
 * While a transaction commits, the next callers' batches queue up and go together in the next one, so the commits per
 * second stay near what the database can do while the messages per commit grow with the load (like the journal's
 * group fsync). A group of only lazy batches commits with {@code synchronous_commit = off}: the database does not wait
 * for its WAL flush, which the next durable commit brings.
 *
 * <p>A group that fails on its data (a constraint, a value, a name too long to index) is retried batch by batch, so
 * only the faulty batch fails; a group that fails on the connection fails all its batches (the database is away;
 * retrying each would wait out the connection timeout once per batch).
 */
final class GroupCommitter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);
    /** Most batches in one transaction: bounds a transaction's size and a failure's reach. */
    static final int MAX_GROUP = 1024;

    /** A batch of ops, or a hand-back of leased messages (ops empty). */
    private record Pending(List<StoreOp> ops, Release release, boolean lazy, CompletableFuture<Void> done) {
    }

    /** @param purged how many the committed transaction removed instead, as a purge had passed them by */
    private record Release(StoredQueue queue, List<SharedQueues.Released> released, UUID owner,
                           AtomicInteger purged) {
    }

    private final DataSource dataSource;
    /** The broker whose non-durable subscriptions the ops add. */
    private final UUID owner;
    private final String where;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private volatile boolean closing;
    /** Set once the writer thread takes nothing more: what is queued after it is failed by whoever queued it. */
    private volatile boolean gone;

    GroupCommitter(DataSource dataSource, String where, UUID owner) {
        this.owner = owner;
        this.dataSource = dataSource;
        this.where = where;
        this.thread = new Thread(this::run, "tunnelmq-postgresql-writer");
        thread.setDaemon(true);
        thread.start();
    }

    CompletableFuture<Void> submit(List<StoreOp> ops, boolean lazy) {
        return submit(new Pending(List.copyOf(ops), null, lazy, new CompletableFuture<>()));
    }

    /**
     * Hands messages leased to {@code owner} back, durably, after every batch submitted before: a lazy completion
     * or count of the same message queued earlier cannot land after the hand-back (and let the message be claimed
     * twice, or lower a count another broker raised).
     */
    CompletableFuture<Integer> release(StoredQueue queue, List<SharedQueues.Released> released, UUID owner) {
        Release release = new Release(queue, List.copyOf(released), owner, new AtomicInteger());
        return submit(new Pending(List.of(), release, false, new CompletableFuture<>()))
                .thenApply(v -> release.purged.get());
    }

    private CompletableFuture<Void> submit(Pending pending) {
        if (closing) {
            pending.done.completeExceptionally(closed());
            return pending.done;
        }
        queue.add(pending);
        if (gone) {
            failAll(closed()); // the writer left meanwhile, without it
        }
        return pending.done;
    }

    private StoreException closed() {
        return new StoreException("the PostgreSQL store at " + where + " is closed");
    }

    long bytesWritten() {
        return bytesWritten.get();
    }

    long commits() {
        return commits.get();
    }

    /**
     * Stops the writer without waiting for the database (a fenced store, whose calls may hang on a stalled network):
     * a commit under way is interrupted, and it and what is queued fail.
     */
    void abort() {
        closing = true;
        thread.interrupt();
        close();
    }

    /** Commits what is queued, then stops the writer. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll(new StoreException("the PostgreSQL store at " + where + " closed before the write was committed"));
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        StoreException failure = null;
        try {
            write(group);
        } catch (RuntimeException | Error e) {
            failure = new StoreException("the PostgreSQL writer for " + where + " failed unexpectedly (" + e
                    + "); nothing more is stored", e);
            log.error("{}", failure.getMessage(), e);
            for (Pending p : group) {
                p.done.completeExceptionally(failure);
            }
        } finally {
            // however the writer leaves (closed, interrupted, failed), later writes fail at once and none stays
            // queued: a submit that sees the writer gone after queueing fails what is left itself
            closing = true;
            gone = true;
            failAll(failure != null ? failure : closed());
        }
    }

    private void write(List<Pending> group) {
        while (true) {
            // read before polling: a write submitted before the close is queued by then, so an empty poll after a
            // close is the end; read after it, a write could slip in between and be failed as "closed"
            boolean closed = closing;
            Pending first;
            try {
                first = closed ? queue.poll() : queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (first == null) {
                if (closed) {
                    break;
                }
                continue;
            }
            group.add(first);
            queue.drainTo(group, MAX_GROUP - 1);
            commit(group);
            group.clear();
        }
    }

    private void commit(List<Pending> group) {
        try {
            long bytes = transaction(group);
            bytesWritten.addAndGet(bytes);
            group.forEach(p -> p.done.complete(null));
        } catch (SQLException | RuntimeException e) {
            boolean refused = isDataError(e);
            if (group.size() > 1 && refused) {
                for (Pending p : group) {
                    commit(List.of(p));
                }
                return;
            }
            String why = "the broker could not store the message durably in the PostgreSQL database at " + where
                    + " (" + reason(e) + "); nothing of it was stored";
            StoreException failure = refused ? new RefusedWrite(why, e) : new StoreException(why, e);
            group.forEach(p -> p.done.completeExceptionally(failure));
        }
    }

    private long transaction(List<Pending> group) throws SQLException {
        boolean allLazy = true;
        for (Pending p : group) {
            allLazy &= p.lazy;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (allLazy) {
                    try (Statement s = connection.createStatement()) {
                        s.execute("SET LOCAL synchronous_commit = off");
                    }
                }
                OpStatements statements = new OpStatements(owner);
                for (Pending p : group) {
                    statements.add(connection, p.ops);
                    if (p.release != null) {
                        statements.release(connection, p.release.queue, p.release.released, p.release.owner,
                                p.release.purged);
                    }
                }
                statements.execute(connection);
                connection.commit();
                commits.incrementAndGet();
                return statements.bytes();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    /**
     * A failure of the data (SQL state classes 22 data exception, 23 integrity, 54 a limit of the database's, such as a
     * name too long for its index), not of the connection: one client's bad batch must not fail the others'.
     */
    private static boolean isDataError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("22")
                    || sql.getSQLState().startsWith("23") || sql.getSQLState().startsWith("54"))) {
                return true;
            }
        }
        return e instanceof IllegalArgumentException;
    }

    /**
     * What the database said, without the statement a batch failure quotes (it holds message bodies): the first
     * chained exception's message for a JDBC batch.
     */
    static String reason(Throwable e) {
        if (e instanceof java.sql.BatchUpdateException batch && batch.getNextException() != null) {
            return batch.getNextException().getMessage();
        }
        return String.valueOf(e.getMessage());
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.debug("rollback after a failed group commit failed too: {}", e.toString());
        }
    }

    private void failAll(StoreException e) {
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done.completeExceptionally(e);
        }
    }
}
