package io.tunnelmq.server.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.MessageReads;
import io.tunnelmq.server.store.MessageStore;
import io.tunnelmq.server.store.StoreException;
import io.tunnelmq.server.store.StoreFigures;
import io.tunnelmq.server.store.StoreOp;
import io.tunnelmq.server.store.StoreVisitor;
import io.tunnelmq.server.store.journal.SyncTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The persistent store in a PostgreSQL database ({@code store=postgresql}): a row per message, durable subscription
 * and producer of the duplicate window (schema: {@code V1__messages.sql}, migrated at open by
 * {@link SchemaMigrations}). Writes are group-committed by one writer thread ({@link GroupCommitter}); reads back
 * (paging) run on a reader thread; nothing here blocks the caller. The pool (HikariCP) holds the writer's connection
 * and the readers'.
 */
public final class PostgresStore implements MessageStore {
    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);

    private final HikariDataSource dataSource;
    private final String where;
    private final String identity;
    private final GroupCommitter writer;
    private final ExecutorService readers;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicBoolean recovered = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private PostgresStore(HikariDataSource dataSource, String where, String identity) {
        this.dataSource = dataSource;
        this.where = where;
        this.identity = identity;
        this.writer = new GroupCommitter(dataSource, where);
        this.readers = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tunnelmq-postgresql-reader");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects, migrates the schema and reads the store's identity.
     *
     * @throws StoreException naming the database (never the password) and what to check if it cannot be reached or
     *     its schema cannot be brought up to date
     */
    public static PostgresStore open(PostgresSettings settings) {
        return open(settings, 10_000);
    }

    /** As {@link #open(PostgresSettings)}, waiting at most {@code connectionTimeoutMillis} for a connection (tests). */
    static PostgresStore open(PostgresSettings settings, long connectionTimeoutMillis) {
        String where = settings.where();
        if (settings.url() == null) {
            throw new StoreException("store=postgresql needs postgresql.url (jdbc:postgresql://host:port/database)");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("tunnelmq-postgresql");
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(connectionTimeoutMillis);
        // a database that cannot be reached stops the start at the first attempt: the operator sees why at once
        config.setInitializationFailTimeout(1);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", "TunnelMQ broker");
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to the PostgreSQL database at " + where + ": "
                    + rootMessage(e) + "; check postgresql.url, postgresql.user and postgresql.password, and that"
                    + " the database runs and accepts connections from this host", e);
        }
        try (Connection connection = dataSource.getConnection()) {
            int version = SchemaMigrations.migrate(connection);
            String identity;
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT identity FROM tmq_store")) {
                if (!rs.next()) {
                    throw new SQLException("the table tmq_store has no row (made with the schema); was it emptied"
                            + " by hand?");
                }
                identity = rs.getString(1);
            }
            log.info("PostgreSQL store at {}: schema version {}, store identity {}", where, version, identity);
            return new PostgresStore(dataSource, where, identity);
        } catch (SQLException | RuntimeException e) {
            dataSource.close();
            throw new StoreException("cannot open the PostgreSQL store at " + where + ": " + rootMessage(e), e);
        }
    }

    @Override
    public CompletableFuture<Void> write(List<StoreOp> ops) {
        return watch(writer.submit(ops, false));
    }

    /** Rides with the next group commit; a group of lazy batches alone commits without waiting for the WAL flush. */
    @Override
    public CompletableFuture<Void> writeLazily(List<StoreOp> ops) {
        return watch(writer.submit(ops, true));
    }

    /**
     * Streams subscriptions, messages and producers through cursors on one connection.
     *
     * @throws StoreException naming the database if the rows cannot be read back
     */
    @Override
    public void recover(StoreVisitor visitor) {
        if (!recovered.compareAndSet(false, true)) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            StoredRows.recover(connection, visitor);
        } catch (SQLException e) {
            throw new StoreException("cannot read the stored messages back from the PostgreSQL database at " + where
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<WireMessage[]> read(long[] storeIds) {
        return read(storeIds, Runnable::run);
    }

    /** Fetches on the reader thread, decodes on {@code executor}. */
    @Override
    public CompletableFuture<WireMessage[]> read(long[] storeIds, Executor executor) {
        return MessageReads.decoded(() -> CompletableFuture.supplyAsync(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return StoredRows.read(connection, storeIds);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, readers), storeIds, "the PostgreSQL database at " + where, StoredRows::decode, executor);
    }

    /** Made with the schema (the row of {@code tmq_store}): the same for every broker over this database. */
    @Override
    public String identity() {
        return identity;
    }

    @Override
    public boolean persistent() {
        return true;
    }

    /**
     * What the broker wrote; the database's own size and free space are the database's to watch, so the disk limit
     * the broker derives from the figures is no limit (set maxDiskBytes for the page file).
     */
    @Override
    public StoreFigures figures() {
        return new StoreFigures(true, 0, writer.bytesWritten(), SyncTimes.Snapshot.NONE, Long.MAX_VALUE / 4);
    }

    /** Transactions committed since the store opened (each holds one or more callers' batches). */
    public long commits() {
        return writer.commits();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writer.close();
        readers.shutdown();
        dataSource.close();
    }

    @Override
    public String toString() {
        return "PostgreSQL store at " + where;
    }

    private CompletableFuture<Void> watch(CompletableFuture<Void> commit) {
        return commit.whenComplete((v, e) -> {
            if (e == null) {
                if (failing.get() && failing.compareAndSet(true, false)) {
                    log.info("PostgreSQL store at {}: writes succeed again", where);
                }
            } else if (failing.compareAndSet(false, true)) {
                // the message, not the stack: a JDBC batch's exception quotes its statements, message bodies included
                log.error("PostgreSQL store at {}: a write failed; persistent sends and commits are refused until"
                        + " writes succeed again (is the database up and reachable?): {}", where,
                        (e instanceof CompletionException && e.getCause() != null ? e.getCause() : e).getMessage());
            } else {
                log.debug("PostgreSQL store at {}: a write failed: {}", where, e.toString());
            }
        });
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }
}
