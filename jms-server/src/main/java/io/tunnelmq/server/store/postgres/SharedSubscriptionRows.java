package io.tunnelmq.server.store.postgres;

import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.SharedQueues;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Shared non-durable subscriptions across the brokers: one row per client ID and name, listing the brokers whose
 * clients consume from it ({@code holders}). A broker holds it while it has consumers on it; the last one to give it
 * back removes it with its messages (a dead broker's holds go when it is reaped: {@link Membership}). Both run on the
 * reader thread, in the order this broker makes them, and each is one statement on the row or a transaction that
 * locks it first, so a hold and another broker's last give-back never both win.
 */
final class SharedSubscriptionRows {
    /*
     * Made, or joined if it names the same topic and selector (with other terms it is left as it is and the caller
     * refuses the consumer); the upsert locks the row, so a concurrent last give-back either runs before (the row is
     * gone: inserted anew) or after (it sees this broker among the holders).
     */
    private static final String HOLD = "INSERT INTO tmq_subscriptions AS s"
            + " (id, client_id, name, topic, selector, no_local, shared, durable, holders)"
            + " VALUES (?, ?, ?, ?, ?, false, true, false, ARRAY[?::uuid])"
            + " ON CONFLICT ((coalesce(client_id, '')), name) WHERE owner IS NULL AND NOT durable DO UPDATE SET holders ="
            + " CASE WHEN s.topic = EXCLUDED.topic AND s.selector IS NOT DISTINCT FROM EXCLUDED.selector"
            + " AND NOT EXCLUDED.holders[1] = ANY (s.holders) THEN s.holders || EXCLUDED.holders ELSE s.holders END"
            + " RETURNING " + StoredRows.SUBSCRIPTION_COLUMNS;
    private static final String GIVE_BACK = "UPDATE tmq_subscriptions SET holders = array_remove(holders, ?)"
            + " WHERE id = ? AND NOT durable AND owner IS NULL RETURNING cardinality(holders)";
    private static final String DROP_MESSAGES = "DELETE FROM tmq_messages WHERE subscription_id = ?";
    private static final String DROP = "DELETE FROM tmq_subscriptions WHERE id = ?";

    private final ReaderCalls reader;
    private final UUID brokerId;

    SharedSubscriptionRows(ReaderCalls reader, UUID brokerId) {
        this.reader = reader;
        this.brokerId = brokerId;
    }

    CompletableFuture<SharedQueues.HeldSubscription> hold(long id, DurableSubscription terms) {
        return reader.run("hold shared subscription '" + terms.name() + "'", connection -> {
            try (PreparedStatement s = connection.prepareStatement(HOLD)) {
                s.setLong(1, id);
                s.setString(2, terms.clientId());
                s.setString(3, terms.name());
                s.setString(4, terms.topic());
                s.setString(5, terms.selector());
                s.setObject(6, brokerId);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next(); // an upsert returns its row
                    return new SharedQueues.HeldSubscription(rs.getLong(1), StoredRows.subscription(rs));
                }
            }
        });
    }

    CompletableFuture<Void> giveBack(long id) {
        return reader.inTransaction("give shared subscription " + id + " back", connection -> {
            int left;
            try (PreparedStatement s = connection.prepareStatement(GIVE_BACK)) {
                s.setObject(1, brokerId);
                s.setLong(2, id);
                try (ResultSet rs = s.executeQuery()) {
                    left = rs.next() ? rs.getInt(1) : -1; // none: reaped meanwhile (this broker was taken for dead)
                }
            }
            if (left == 0) {
                for (String sql : new String[] {DROP_MESSAGES, DROP}) {
                    try (PreparedStatement s = connection.prepareStatement(sql)) {
                        s.setLong(1, id);
                        s.executeUpdate();
                    }
                }
            }
            return null;
        });
    }
}
