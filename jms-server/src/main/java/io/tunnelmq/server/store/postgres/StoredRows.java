package io.tunnelmq.server.store.postgres;

import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.StoreCodec;
import io.tunnelmq.server.store.MessageReads;
import io.tunnelmq.server.store.StoreException;
import io.tunnelmq.server.store.StoreVisitor;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Reads rows back: recovery streams them through server-side cursors (a fetch size inside a transaction), so the heap
 * holds one fetch, not the database; paging reads message bodies by store id.
 */
final class StoredRows {
    /** Rows per round trip while recovering. */
    static final int FETCH_SIZE = 512;

    /** The columns {@link #subscription(ResultSet)} reads, its id first. */
    static final String SUBSCRIPTION_COLUMNS = "id, client_id, name, topic, selector, no_local, shared";

    private StoredRows() {
    }

    /** The durable subscription in the current row of a query of {@link #SUBSCRIPTION_COLUMNS}. */
    static DurableSubscription subscription(ResultSet rs) throws SQLException {
        return new DurableSubscription(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getBoolean(6), rs.getBoolean(7));
    }

    /** {@link #recover(Connection, StoreVisitor)} on a connection of its own. */
    static void recover(DataSource dataSource, String where, StoreVisitor visitor) {
        try (Connection connection = dataSource.getConnection()) {
            recover(connection, visitor);
        } catch (SQLException e) {
            throw new StoreException("cannot read the stored messages back from the PostgreSQL database at " + where
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Visits the subscriptions, then the producers, each in the order first added. Messages are not visited: the
     * brokers over the database claim them ({@link QueueClaims}).
     */
    static void recover(Connection connection, StoreVisitor visitor) throws SQLException {
        connection.setReadOnly(true);
        try {
            // pgjdbc streams with a cursor only inside a transaction; rolled back if the broker refuses a row, so
            // resetting read-only below does not fail mid-transaction and hide the reason
            ReaderCalls.inTransaction(connection, c -> {
                try (ResultSet rs = query(c, "SELECT " + SUBSCRIPTION_COLUMNS
                        + " FROM tmq_subscriptions WHERE durable ORDER BY seq")) { // not the non-durable ones
                    while (rs.next()) {
                        visitor.subscription(rs.getLong(1), subscription(rs));
                    }
                }
                try (ResultSet rs = query(c, "SELECT id, producer_id, sequence, stored_at FROM tmq_producers"
                        + " ORDER BY seq")) {
                    while (rs.next()) {
                        visitor.producer(rs.getLong(1), new ProducerStamp(rs.getObject(2, UUID.class),
                                rs.getLong(3)), rs.getLong(4));
                    }
                }
                return null;
            });
        } finally {
            connection.setReadOnly(false);
        }
    }

    /** Fetches the messages' rows on {@code readers} (a connection of {@code dataSource}), decodes on {@code executor}. */
    static CompletableFuture<WireMessage[]> read(DataSource dataSource, Executor readers, String where, long[] ids,
                                                 Executor executor) {
        return MessageReads.decoded(() -> CompletableFuture.supplyAsync(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return read(connection, ids);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, readers), ids, "the PostgreSQL database at " + where, StoredRows::decode, executor);
    }

    /** The bodies of the messages with these ids, in that order; null where there is none. */
    static byte[][] read(Connection connection, long[] ids) throws SQLException {
        Long[] boxed = new Long[ids.length];
        Map<Long, Integer> index = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            boxed[i] = ids[i];
            index.put(ids[i], i);
        }
        byte[][] bodies = new byte[ids.length][];
        try (PreparedStatement s = connection.prepareStatement("SELECT id, body FROM tmq_messages WHERE id = ANY (?)")) {
            s.setArray(1, connection.createArrayOf("bigint", boxed));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    bodies[index.get(rs.getLong(1))] = rs.getBytes(2);
                }
            }
        }
        return bodies;
    }

    static WireMessage decode(long id, byte[] body) {
        try {
            return StoreCodec.decodeMessage(body, 0, body.length);
        } catch (RuntimeException e) {
            throw new io.tunnelmq.server.store.StoreException("stored message " + id + ": " + e.getMessage(), e);
        }
    }

    private static ResultSet query(Connection connection, String sql) throws SQLException {
        PreparedStatement s = connection.prepareStatement(sql);
        s.setFetchSize(FETCH_SIZE);
        s.closeOnCompletion();
        return s.executeQuery();
    }
}
