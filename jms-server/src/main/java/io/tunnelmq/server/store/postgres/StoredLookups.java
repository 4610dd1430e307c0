package io.tunnelmq.server.store.postgres;

import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.SharedQueues;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What one broker looks up of what another stored, on the reader thread: a producer that failed over (its highest
 * sequence, whichever broker stored it), a durable subscription made or removed through another broker.
 */
final class StoredLookups {
    private static final String PRODUCER = "SELECT id, sequence, stored_at FROM tmq_producers WHERE producer_id = ?"
            + " ORDER BY sequence DESC LIMIT 1";
    private static final String SUBSCRIPTION = "SELECT " + StoredRows.SUBSCRIPTION_COLUMNS
            + " FROM tmq_subscriptions WHERE id = ? AND durable";

    /* a scan of the messages: run every few seconds for monitoring, never on a hot path */
    private static final String BACKLOG = "SELECT queue_name, subscription_id, count(*), count(lease_owner)"
            + " FROM tmq_messages GROUP BY queue_name, subscription_id";
    private static final String DURABLE = "SELECT " + StoredRows.SUBSCRIPTION_COLUMNS
            + " FROM tmq_subscriptions WHERE durable";

    private final ReaderCalls reader;

    StoredLookups(ReaderCalls reader) {
        this.reader = reader;
    }

    /** Several brokers may have a record of one producer: the highest sequence answers. */
    CompletableFuture<SharedQueues.StoredProducer> producer(UUID producerId) {
        return reader.run("look producer " + producerId + " up", connection -> {
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
        return reader.run("look subscription " + id + " up", connection -> {
            try (PreparedStatement s = connection.prepareStatement(SUBSCRIPTION)) {
                s.setLong(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? StoredRows.subscription(rs) : null;
                }
            }
        });
    }

    CompletableFuture<Map<Long, DurableSubscription>> durableSubscriptions() {
        return reader.run("look the durable subscriptions up", connection -> {
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
        return reader.run("count the backlog", connection -> {
            try (Statement s = connection.createStatement()) {
                Map<String, SharedQueues.QueueBacklog> queues = new HashMap<>();
                Map<Long, SharedQueues.QueueBacklog> subscriptions = new HashMap<>();
                try (ResultSet rs = s.executeQuery(BACKLOG)) {
                    while (rs.next()) {
                        SharedQueues.QueueBacklog backlog = new SharedQueues.QueueBacklog(rs.getLong(3),
                                rs.getLong(4));
                        String queue = rs.getString(1);
                        if (queue != null) {
                            queues.put(queue, backlog);
                        } else {
                            subscriptions.put(rs.getLong(2), backlog);
                        }
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM tmq_brokers")) {
                    rs.next();
                    return new SharedQueues.Backlog(rs.getInt(1), queues, subscriptions);
                }
            }
        });
    }
}
