package io.tunnelmq.server.store.postgres;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.Failures;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoreException;
import io.tunnelmq.server.store.StoredQueue;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Reads a queue for a browser: its messages in delivery order whoever holds them, without claiming any, on the
 * reader thread. A message's position is {@code (9 - priority) << 59 | seq}, the order the claim index walks, so a
 * cursor (the position after the last message seen) resumes where a page ended even while messages come and go.
 */
final class QueueBrowse {
    /*
     * The position is computed, so this walks the queue's rows through the queue index and sorts them: a browse of a
     * long queue costs a sort per run (a browser reads pages of a few hundred), which is fine for an operator's or an
     * application's occasional look and keeps the claim path's index the only one on messages by queue.
     */
    private static final String POSITION = "((9 - priority)::bigint << 59) | seq";
    private static final String BROWSE = "SELECT " + POSITION + " AS position, body, lease_owner IS NOT DISTINCT"
            + " FROM ?, delivery_count, publisher FROM tmq_messages"
            + " WHERE %s = ? AND deliver_at <= ? AND (expires_at = 0 OR expires_at > ?)"
            + " AND " + POSITION + " >= ? ORDER BY position LIMIT ?";
    private static final String BROWSE_QUEUE = BROWSE.formatted("queue_name");
    /* an operator's look at a durable or shared subscription (an application browses queues only) */
    private static final String BROWSE_SUBSCRIPTION = BROWSE.formatted("subscription_id");

    private record Row(long position, byte[] body, boolean mine, int deliveryCount, String publisher) {
    }

    private final DataSource dataSource;
    private final Executor readers;
    private final String where;
    private final UUID owner;

    QueueBrowse(DataSource dataSource, Executor readers, String where, UUID owner) {
        this.dataSource = dataSource;
        this.readers = readers;
        this.where = where;
        this.owner = owner;
    }

    CompletableFuture<SharedQueues.BrowseRows> browse(StoredQueue queue, long fromKey, int max, long nowMillis,
                                                      Executor executor) {
        return CompletableFuture.supplyAsync(() -> fetch(queue, fromKey, max + 1, nowMillis), readers)
                .handleAsync((rows, e) -> {
                    if (e != null) {
                        Throwable cause = Failures.cause(e);
                        throw new StoreException("cannot browse " + queue + " in the PostgreSQL database at " + where
                                + ": " + cause.getMessage(), cause);
                    }
                    return decode(rows, max);
                }, executor);
    }

    private List<Row> fetch(StoredQueue queue, long fromKey, int limit, long nowMillis) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement s = connection.prepareStatement(queue.isSubscription() ? BROWSE_SUBSCRIPTION
                     : BROWSE_QUEUE)) {
            s.setObject(1, owner);
            QueueClaims.setQueue(s, 2, queue);
            s.setLong(3, nowMillis);
            s.setLong(4, nowMillis);
            s.setLong(5, fromKey);
            s.setInt(6, limit);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getBytes(2), rs.getBoolean(3), rs.getInt(4), rs.getString(5)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
    }

    /** One row more than asked for says whether the queue goes on. A row that cannot be read is left out. */
    private SharedQueues.BrowseRows decode(List<Row> rows, int max) {
        int n = Math.min(rows.size(), max);
        List<WireMessage> messages = new ArrayList<>(n);
        long[] keys = new long[n];
        boolean[] mine = new boolean[n];
        int[] deliveryCounts = new int[n];
        String[] publishers = new String[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            try {
                messages.add(StoredRows.decode(row.position, row.body));
                mine[kept] = row.mine;
                deliveryCounts[kept] = row.deliveryCount;
                publishers[kept] = row.publisher;
                keys[kept++] = row.position;
            } catch (StoreException e) {
                // claims say it loudly; a browser just does not see it
            }
        }
        return new SharedQueues.BrowseRows(messages, Arrays.copyOf(keys, kept), Arrays.copyOf(mine, kept),
                Arrays.copyOf(deliveryCounts, kept), Arrays.copyOf(publishers, kept), rows.size() <= max);
    }
}
