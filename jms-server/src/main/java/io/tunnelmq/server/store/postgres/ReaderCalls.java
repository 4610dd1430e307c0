package io.tunnelmq.server.store.postgres;

import io.tunnelmq.server.store.StoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Runs work on the store's one reader thread, each call with a pooled connection: calls run one at a time in the
 * order made, so one broker's changes to a row it shares (a subscription it holds, then gives back) reach the
 * database in that order. A failure names what the call was for. {@link #inTransaction(Connection, Query)} is the
 * store's one commit-or-roll-back wrapper, for the heartbeat thread's transactions too ({@link Membership}).
 */
final class ReaderCalls {
    /** Work on one connection. */
    interface Query<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final Executor readers;
    private final String where;

    ReaderCalls(DataSource dataSource, Executor readers, String where) {
        this.dataSource = dataSource;
        this.readers = readers;
        this.where = where;
    }

    /** Runs {@code query} with auto-commit (each statement on its own). */
    <T> CompletableFuture<T> run(String what, Query<T> query) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return query.run(connection);
            } catch (SQLException e) {
                throw failed(what, e);
            }
        }, readers);
    }

    /** Runs {@code work} in one transaction: all of it, or (on a failure) none. */
    <T> CompletableFuture<T> inTransaction(String what, Query<T> work) {
        return run(what, connection -> inTransaction(connection, work));
    }

    /**
     * Runs {@code work} on {@code connection} in one transaction, committed, or rolled back when it fails. Leaves
     * auto-commit off: the pool restores it when the connection goes back.
     */
    static <T> T inTransaction(Connection connection, Query<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private CompletionException failed(String what, SQLException e) {
        return new CompletionException(new StoreException("cannot " + what + " in the PostgreSQL database at " + where
                + ": " + e.getMessage(), e));
    }
}
