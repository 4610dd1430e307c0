package io.tunnelmq.server.store.postgres;

import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * What one broker looks up of what another stored, on the reader thread: a producer that failed over (its highest
 * sequence, whichever broker stored it), a durable subscription made or removed through another broker.
 */
final class StoredLookups {
    private static final String PRODUCER = "SELECT id, sequence, stored_at FROM tmq_producers WHERE producer_id = ?"
            + " ORDER BY sequence DESC LIMIT 1";
    private static final String SUBSCRIPTION = "SELECT " + StoredRows.SUBSCRIPTION_COLUMNS
            + " FROM tmq_subscriptions WHERE id = ? AND owner IS NULL";

    /* a scan of the messages: run every few seconds for monitoring, never on a hot path */
    private static final String BACKLOG = "SELECT queue_name, count(*), count(lease_owner) FROM tmq_messages"
            + " WHERE queue_name IS NOT NULL GROUP BY queue_name";
    private static final String DURABLE = "SELECT " + StoredRows.SUBSCRIPTION_COLUMNS
            + " FROM tmq_subscriptions WHERE owner IS NULL";

    private final DataSource dataSource;
    private final Executor readers;
    private final String where;

    StoredLookups(DataSource dataSource, Executor readers, String where) {
        this.dataSource = dataSource;
        this.readers = readers;
        this.where = where;
    }

    /** Several brokers may have a record of one producer: the highest sequence answers. */
    CompletableFuture<SharedQueues.StoredProducer> producer(UUID producerId) {
        return onReader("producer " + producerId, connection -> {
            try (PreparedStatement s = connection.prepareStatement(PRODUCER)) {
                s.setObject(1, producerId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? new SharedQueues.StoredProducer(rs.getLong(1),
                            new ProducerStamp(producerId, rs.getLong(2)), rs.getLong(3)) : null;
                }
            }
        });
    }

    CompletableFuture<DurableSubscription> subscription(long id) {
        return onReader("subscription " + id, connection -> {
            try (PreparedStatement s = connection.prepareStatement(SUBSCRIPTION)) {
                s.setLong(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? StoredRows.subscription(rs) : null;
                }
            }
        });
    }

    CompletableFuture<Map<Long, DurableSubscription>> durableSubscriptions() {
        return onReader("the durable subscriptions", connection -> {
            try (PreparedStatement s = connection.prepareStatement(DURABLE); ResultSet rs = s.executeQuery()) {
                Map<Long, DurableSubscription> all = new HashMap<>();
                while (rs.next()) {
                    all.put(rs.getLong(1), StoredRows.subscription(rs));
                }
                return all;
            }
        });
    }

    CompletableFuture<SharedQueues.Backlog> backlog() {
        return onReader("the backlog", connection -> {
            try (Statement s = connection.createStatement()) {
                Map<String, SharedQueues.QueueBacklog> queues = new HashMap<>();
                try (ResultSet rs = s.executeQuery(BACKLOG)) {
                    while (rs.next()) {
                        queues.put(rs.getString(1), new SharedQueues.QueueBacklog(rs.getLong(2), rs.getLong(3)));
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM tmq_brokers")) {
                    rs.next();
                    return new SharedQueues.Backlog(rs.getInt(1), queues);
                }
            }
        });
    }

    private interface Query<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code query} on the reader thread with a pooled connection; a failure names {@code what}. */
    private <T> CompletableFuture<T> onReader(String what, Query<T> query) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return query.run(connection);
            } catch (SQLException e) {
                throw failed(what, e);
            }
        }, readers);
    }

    private CompletionException failed(String what, SQLException e) {
        return new CompletionException(new StoreException("cannot look " + what + " up in the PostgreSQL database at "
                + where + ": " + e.getMessage(), e));
    }
}
