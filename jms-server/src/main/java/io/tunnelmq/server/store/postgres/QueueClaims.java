package io.tunnelmq.server.store.postgres;

import io.tunnelmq.server.store.Failures;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoreException;
import io.tunnelmq.server.store.StoredQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Claims: the next unleased, due messages of a queue leased to this broker in one statement, on the claim threads
 * (each with a pooled connection), decoded on the caller's executor.
 */
final class QueueClaims {
    private static final Logger log = LoggerFactory.getLogger(QueueClaims.class);

    /* a broker the others took for dead claims nothing, though it has not noticed yet (Fencing) */
    private static final String MEMBER = " AND EXISTS (SELECT 1 FROM tmq_brokers WHERE broker_id = ?)";
    private static final String ROW_COLUMNS = "id, priority, seq, delivery_count, body, publisher, claim_id";
    /*
     * FOR UPDATE SKIP LOCKED: brokers claiming the same queue at once each take rows the others have not locked,
     * instead of queueing behind each other's transactions or (without the lock) leasing the same row twice; the
     * outer UPDATE re-checks nothing because the locked rows cannot change under it. The inner query walks the
     * partial claim index (queue, priority DESC, seq WHERE lease_owner IS NULL) in delivery order; RETURNING comes
     * back in no particular order, so the rows are sorted here.
     */
    private static final String CLAIM = "UPDATE tmq_messages SET lease_owner = ?, lease_until = ?, claim_id = ?"
            + " WHERE id IN"
            + " (SELECT id FROM tmq_messages WHERE %s = ? AND lease_owner IS NULL AND deliver_at <= ?"
            + " AND (declined_by IS NULL OR NOT ? = ANY (declined_by))" + MEMBER
            + " ORDER BY priority DESC, seq LIMIT ? FOR UPDATE SKIP LOCKED)"
            + " RETURNING " + ROW_COLUMNS;
    /* deliver_at > 0 stated, so the planner can use the partial due index whatever the parameter */
    private static final String NEXT_DUE = "SELECT min(deliver_at) FROM tmq_messages WHERE %s = ?"
            + " AND lease_owner IS NULL AND deliver_at > 0 AND deliver_at > ?";
    static final String CLAIM_QUEUE = CLAIM.formatted("queue_name");
    static final String CLAIM_SUBSCRIPTION = CLAIM.formatted("subscription_id");
    /* the rows of claims whose answer was lost (LostClaims): through the lease index, this broker's rows */
    private static final String LOST = "SELECT %s FROM tmq_messages WHERE lease_owner = ? AND claim_id = ANY (?)";
    static final String NEXT_DUE_QUEUE = NEXT_DUE.formatted("queue_name");
    static final String NEXT_DUE_SUBSCRIPTION = NEXT_DUE.formatted("subscription_id");

    private record Row(long id, int priority, long seq, int deliveryCount, byte[] body, String publisher,
                       long claimId) {
    }

    private record Fetched(List<Row> rows, long nextDueMillis) {
    }

    private static void readRows(PreparedStatement s, List<Row> rows) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getInt(4), rs.getBytes(5),
                        rs.getString(6), rs.getLong(7)));
            }
        }
    }

    /** Binds a claim's first three parameters: the lease's owner and end, and the claim's id. */
    private void bindLease(PreparedStatement s, long nowMillis, long claimId) throws SQLException {
        s.setObject(1, owner);
        s.setLong(2, nowMillis + leaseMillis);
        s.setLong(3, claimId);
    }

    private interface RowReader<R> {
        void read(PreparedStatement s, List<R> rows) throws SQLException;
    }

    /** Reads back into {@code rows} those of the lost claims {@code earlier} ({@link LostClaims}). */
    private <R> void readLost(Connection connection, String columns, Long[] earlier, List<R> rows,
                              RowReader<R> reader) throws SQLException {
        if (earlier.length == 0) {
            return;
        }
        try (PreparedStatement s = connection.prepareStatement(LOST.formatted(columns))) {
            s.setObject(1, owner);
            s.setArray(2, connection.createArrayOf("bigint", earlier));
            reader.read(s, rows);
        }
    }

    /** A claim committed: its answer reaches this broker, unless a test loses it. */
    private void answer() throws SQLException {
        // a plain read first: every claim passes here, and only a test ever sets the count
        if (answersToLose.get() > 0 && answersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new SQLException("the claim's answer was lost (test)");
        }
    }

    /** Test hook: the next {@code count} claims commit and then fail as if their answer never came. */
    void loseAnswers(int count) {
        answersToLose.set(count);
    }

    private final DataSource dataSource;
    private final ExecutorService claimers;
    private final UUID owner;
    private final long leaseMillis;
    private final String where;
    private final LostClaims lost = new LostClaims();
    /** Test hook: this many claims commit and then fail as if their answer was lost. */
    private final AtomicInteger answersToLose = new AtomicInteger();

    QueueClaims(DataSource dataSource, ExecutorService claimers, UUID owner, long leaseMillis, String where) {
        this.dataSource = dataSource;
        this.claimers = claimers;
        this.owner = owner;
        this.leaseMillis = leaseMillis;
        this.where = where;
    }

    CompletableFuture<SharedQueues.Claims> claim(StoredQueue queue, int max, long nowMillis, Executor executor) {
        if (max < 1) {
            throw new IllegalArgumentException("a claim asks for at least 1 message, asked " + max);
        }
        return onClaimer(() -> fetch(queue, max, nowMillis)).handleAsync((fetched, e) -> {
            if (e != null) {
                Throwable cause = Failures.cause(e);
                throw cause instanceof StoreException s ? s : new StoreException("the broker could not claim"
                        + " messages of " + queue + " from the PostgreSQL database at " + where + ": "
                        + cause.getMessage(), cause);
            }
            return decode(queue, fetched);
        }, executor);
    }

    /*
     * Expired messages nobody claims (their queue has no consumer anywhere): found through the partial expiry index,
     * claimed like any others so two brokers never both take one.
     */
    private static final String EXPIRED_COLUMNS = "id, queue_name, delivery_count, body";
    private static final String CLAIM_EXPIRED = "UPDATE tmq_messages SET lease_owner = ?, lease_until = ?, claim_id = ?"
            + " WHERE id IN"
            + " (SELECT id FROM tmq_messages WHERE expires_at > 0 AND expires_at <= ? AND lease_owner IS NULL"
            + " AND queue_name IS NOT NULL" + MEMBER + " LIMIT ? FOR UPDATE SKIP LOCKED)"
            + " RETURNING " + EXPIRED_COLUMNS;
    /** The key of expired-message claims among {@link LostClaims}' keys (the others are queues). */
    private static final Object EXPIRED = "expired messages";

    private static void readExpired(PreparedStatement s, List<ExpiredRow> rows) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(new ExpiredRow(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getBytes(4)));
            }
        }
    }

    private record ExpiredRow(long id, String queue, int deliveryCount, byte[] body) {
    }

    CompletableFuture<List<SharedQueues.Expired>> claimExpired(int max, long nowMillis, Executor executor) {
        return onClaimer(() -> fetchExpired(max, nowMillis)).thenApplyAsync(rows -> {
            List<SharedQueues.Expired> expired = new ArrayList<>(rows.size());
            for (ExpiredRow row : rows) {
                try {
                    expired.add(new SharedQueues.Expired(row.queue, new SharedQueues.Claimed(row.id,
                            StoredRows.decode(row.id, row.body), Math.max(1, row.deliveryCount))));
                } catch (StoreException e) {
                    log.error("PostgreSQL store at {}: expired message {} of {} cannot be read ({}); it stays with"
                            + " this broker", where, row.id, row.queue, e.getMessage());
                }
            }
            return expired;
        }, executor);
    }

    private List<ExpiredRow> fetchExpired(int max, long nowMillis) {
        long claimId = lost.next();
        Long[] earlier = lost.take(EXPIRED);
        try (Connection connection = dataSource.getConnection()) {
            List<ExpiredRow> rows = new ArrayList<>();
            readLost(connection, EXPIRED_COLUMNS, earlier, rows, QueueClaims::readExpired);
            try (PreparedStatement s = connection.prepareStatement(CLAIM_EXPIRED)) {
                bindLease(s, nowMillis, claimId);
                s.setLong(4, nowMillis);
                s.setObject(5, owner);
                s.setInt(6, max);
                readExpired(s, rows);
            }
            answer();
            return rows;
        } catch (SQLException | RuntimeException e) {
            lost.failed(EXPIRED, claimId, earlier);
            throw new CompletionException(new StoreException("the broker could not claim expired messages from the"
                    + " PostgreSQL database at " + where + ": " + e.getMessage(), e));
        }
    }

    /* the queue's (or subscription's) rows through the claim index, then the ids: a reconnect's look-up, not a hot
       path; a subscription's copy of a publication has the message id of every other copy, so the column matters */
    private static final String SEEN = "UPDATE tmq_messages SET delivery_count = GREATEST(delivery_count, 2)"
            + " WHERE %s = ? AND message_id = ANY (?)";

    CompletableFuture<Void> seenElsewhere(StoredQueue queue, List<String> messageIds) {
        if (messageIds.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return onClaimer(() -> {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement s = connection.prepareStatement(SEEN.formatted(column(queue)))) {
                setQueue(s, 1, queue);
                s.setArray(2, connection.createArrayOf("text", messageIds.toArray()));
                s.executeUpdate();
                return null;
            } catch (SQLException e) {
                throw new CompletionException(new StoreException("cannot flag the messages a consumer saw"
                        + " elsewhere in " + queue + " in the PostgreSQL database at " + where + ": "
                        + e.getMessage(), e));
            }
        });
    }

    /* declines of this broker on one queue: found through the claim index (its rows are unleased) */
    private static final String UNDECLINE = "UPDATE tmq_messages SET declined_by = array_remove(declined_by, ?)"
            + " WHERE %s = ? AND lease_owner IS NULL AND ? = ANY (declined_by)";

    CompletableFuture<Void> undecline(StoredQueue queue) {
        return onClaimer(() -> {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement s = connection.prepareStatement(UNDECLINE.formatted(column(queue)))) {
                s.setObject(1, owner);
                setQueue(s, 2, queue);
                s.setObject(3, owner);
                s.executeUpdate();
                return null;
            } catch (SQLException e) {
                throw new CompletionException(new StoreException("cannot take back the declines of " + queue
                        + " in the PostgreSQL database at " + where + ": " + e.getMessage(), e));
            }
        });
    }

    /** Runs {@code work} on a claim thread; once the store closed (its claimers shut down) it fails at once. */
    private <T> CompletableFuture<T> onClaimer(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, claimers);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new StoreException("the " + this + " is closed", e));
        }
    }

    private Fetched fetch(StoredQueue queue, int max, long nowMillis) {
        long claimId = lost.next();
        Long[] earlier = lost.take(queue);
        try (Connection connection = dataSource.getConnection()) {
            List<Row> rows = new ArrayList<>();
            readLost(connection, ROW_COLUMNS, earlier, rows, QueueClaims::readRows);
            try (PreparedStatement s = connection.prepareStatement(
                    queue.isSubscription() ? CLAIM_SUBSCRIPTION : CLAIM_QUEUE)) {
                bindLease(s, nowMillis, claimId);
                setQueue(s, 4, queue);
                s.setLong(5, nowMillis);
                s.setObject(6, owner);
                s.setObject(7, owner);
                s.setInt(8, max);
                readRows(s, rows);
            }
            answer();
            rows.sort(Comparator.comparingInt(Row::priority).reversed().thenComparingLong(Row::seq));
            long nextDue = 0;
            if (rows.size() < max) {
                try (PreparedStatement s = connection.prepareStatement(
                        queue.isSubscription() ? NEXT_DUE_SUBSCRIPTION : NEXT_DUE_QUEUE)) {
                    setQueue(s, 1, queue);
                    s.setLong(2, nowMillis);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        nextDue = rs.getLong(1); // null (none) reads as 0
                    }
                }
            }
            return new Fetched(rows, nextDue);
        } catch (SQLException | RuntimeException e) {
            lost.failed(queue, claimId, earlier);
            throw new CompletionException(e);
        }
    }

    /**
     * A row whose body cannot be decoded stays leased to this broker (it would fail every broker that claimed it)
     * and is left out, said at ERROR; it is handed on when this broker leaves.
     */
    private SharedQueues.Claims decode(StoredQueue queue, Fetched fetched) {
        List<SharedQueues.Claimed> claimed = new ArrayList<>(fetched.rows.size());
        for (Row row : fetched.rows) {
            try {
                claimed.add(new SharedQueues.Claimed(row.id, StoredRows.decode(row.id, row.body),
                        Math.max(1, row.deliveryCount), row.publisher, row.claimId));
            } catch (StoreException e) {
                log.error("PostgreSQL store at {}: message {} of {} cannot be read ({}); it stays with this broker"
                        + " undelivered", where, row.id, queue, e.getMessage());
            }
        }
        return new SharedQueues.Claims(claimed, fetched.nextDueMillis);
    }

    /** The column that names {@code queue}'s rows, for a statement {@link #setQueue} binds. */
    static String column(StoredQueue queue) {
        return queue.isSubscription() ? "subscription_id" : "queue_name";
    }

    static void setQueue(PreparedStatement s, int index, StoredQueue queue) throws SQLException {
        if (queue.isSubscription()) {
            s.setLong(index, queue.subscriptionId());
        } else {
            s.setString(index, queue.queueName());
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL store at " + where;
    }
}
