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
    private static final String SUBSCRIPTION = "SELECT client_id, name, topic, selector, no_local, shared"
            + " FROM tmq_subscriptions WHERE id = ? AND owner IS NULL";

    /* a scan of the messages: run every few seconds for monitoring, never on a hot path */
    private static final String BACKLOG = "SELECT queue_name, count(*), count(lease_owner) FROM tmq_messages"
            + " WHERE queue_name IS NOT NULL GROUP BY queue_name";
    private static final String DURABLE = "SELECT id, client_id, name, topic, selector, no_local, shared"
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
        return CompletableFuture.supplyAsync(() -> {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement s = connection.prepareStatement(PRODUCER)) {
                s.setObject(1, producerId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? new SharedQueues.StoredProducer(rs.getLong(1),
                            new ProducerStamp(producerId, rs.getLong(2)), rs.getLong(3)) : null;
                }
            } catch (SQLException e) {
                throw failed("producer " + producerId, e);
            }
        }, readers);
    }

    CompletableFuture<DurableSubscription> subscription(long id) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement s = connection.prepareStatement(SUBSCRIPTION)) {
                s.setLong(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? new DurableSubscription(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getBoolean(5), rs.getBoolean(6)) : null;
                }
            } catch (SQLException e) {
                throw failed("subscription " + id, e);
            }
        }, readers);
    }

    CompletableFuture<Map<Long, DurableSubscription>> durableSubscriptions() {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement s = connection.prepareStatement(DURABLE);
                 ResultSet rs = s.executeQuery()) {
                Map<Long, DurableSubscription> all = new HashMap<>();
                while (rs.next()) {
                    all.put(rs.getLong(1), new DurableSubscription(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getBoolean(6), rs.getBoolean(7)));
                }
                return all;
            } catch (SQLException e) {
                throw failed("the durable subscriptions", e);
            }
        }, readers);
    }

    CompletableFuture<SharedQueues.Backlog> backlog() {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection connection = dataSource.getConnection(); Statement s = connection.createStatement()) {
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
            } catch (SQLException e) {
                throw failed("the backlog", e);
            }
        }, readers);
    }

    private CompletionException failed(String what, SQLException e) {
        return new CompletionException(new StoreException("cannot look " + what + " up in the PostgreSQL database at "
                + where + ": " + e.getMessage(), e));
    }
}
