package io.tunnelmq.server.store.postgres;

import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.SharedSubscriptions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The brokers whose clients consume from a named subscription ({@code holders}): a broker holds one while it has
 * consumers of it (a dead broker's holds go when it is reaped: {@link Membership}). A shared non-durable subscription
 * is one row per client ID and name for all the brokers, and the last one to give it back removes it with its
 * messages. A durable one outlives its holders, but is replaced or unsubscribed through a broker only while no other
 * holds it ({@link #removeUnheld}). All run on the reader thread, in the order this broker makes them, and each is one
 * statement on the row or a transaction that locks it first, so a hold and another broker's removal never both win,
 * and two brokers making the same durable subscription at the same moment share one ({@link #holdDurable(long,
 * DurableSubscription)}).
 */
final class SharedSubscriptionRows implements SharedSubscriptions {
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
    /* whether a live broker other than the one given holds the row's subscription */
    private static final String HELD_BY_ANOTHER = "EXISTS (SELECT 1 FROM unnest(holders) h JOIN tmq_brokers b"
            + " ON b.broker_id = h WHERE h <> ?)";
    /* the durable subscription of a client ID and name */
    private static final String DURABLE_BY_KEY = " FROM tmq_subscriptions WHERE coalesce(client_id, '') ="
            + " coalesce(?::text, '') AND name = ? AND owner IS NULL AND durable";
    /* a durable subscription made, held by this broker; nothing when one of that client ID and name is stored */
    private static final String MAKE_DURABLE = "INSERT INTO tmq_subscriptions"
            + " (id, client_id, name, topic, selector, no_local, shared, durable, holders)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, true, ARRAY[?::uuid])"
            + " ON CONFLICT ((coalesce(client_id, '')), name) WHERE owner IS NULL AND durable DO NOTHING RETURNING id";
    /* the durable subscription of a client ID and name, and whether a live broker other than this one holds it */
    private static final String FIND_DURABLE = "SELECT " + StoredRows.SUBSCRIPTION_COLUMNS + ", " + HELD_BY_ANOTHER
            + DURABLE_BY_KEY + " FOR UPDATE";
    private static final String FIND_DURABLE_ROW = "SELECT " + StoredRows.SUBSCRIPTION_COLUMNS + DURABLE_BY_KEY;
    /* a make that found the row gone when it looked (removed at that moment) tries again, this often at most */
    private static final int MAKE_ATTEMPTS = 3;
    private static final String HOLD_DURABLE = "UPDATE tmq_subscriptions SET holders ="
            + " array_append(array_remove(coalesce(holders, '{}'), ?::uuid), ?::uuid)"
            + " WHERE id = ? AND durable RETURNING id";
    private static final String GIVE_BACK = "UPDATE tmq_subscriptions SET holders = array_remove(holders, ?)"
            + " WHERE id = ? AND owner IS NULL RETURNING coalesce(cardinality(holders), 0), durable";
    /* whether a live broker other than this one holds the durable subscription; the row locked until the removal */
    private static final String HELD_ELSEWHERE = "SELECT " + HELD_BY_ANOTHER
            + " FROM tmq_subscriptions WHERE id = ? AND durable FOR UPDATE";
    private static final String DROP_MESSAGES = "DELETE FROM tmq_messages WHERE subscription_id = ?";
    private static final String DROP = "DELETE FROM tmq_subscriptions WHERE id = ?";

    private final ReaderCalls reader;
    private final UUID brokerId;

    SharedSubscriptionRows(ReaderCalls reader, UUID brokerId) {
        this.reader = reader;
        this.brokerId = brokerId;
    }

    @Override
    public CompletableFuture<Held> holdShared(long id, DurableSubscription terms) {
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
                    return new Held(rs.getLong(1), StoredRows.subscription(rs));
                }
            }
        });
    }

    @Override
    public CompletableFuture<Void> giveBack(long id) {
        return reader.inTransaction("give shared subscription " + id + " back", connection -> {
            boolean last;
            try (PreparedStatement s = connection.prepareStatement(GIVE_BACK)) {
                s.setObject(1, brokerId);
                s.setLong(2, id);
                try (ResultSet rs = s.executeQuery()) {
                    // none: reaped meanwhile (this broker was taken for dead), or a durable one removed
                    last = rs.next() && rs.getInt(1) == 0 && !rs.getBoolean(2);
                }
            }
            if (last) {
                drop(connection, id);
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Held> holdDurable(long id, DurableSubscription terms) {
        return reader.inTransaction("make durable subscription '" + terms.name() + "'", connection -> {
            for (int attempt = 1; ; attempt++) {
                if (make(connection, id, terms)) {
                    QueueKeys.notify(connection, List.of(QueueKeys.SUBSCRIPTION + id)); // the other brokers learn it
                    return new Held(id, terms);
                }
                Found found = find(connection, terms);
                if (found == null && attempt < MAKE_ATTEMPTS) {
                    continue; // removed as this looked: make it again
                }
                if (found == null) {
                    throw new SQLException("durable subscription '" + terms.name() + "' was made and removed by"
                            + " other brokers " + MAKE_ATTEMPTS + " times while this broker tried to make it");
                }
                if (found.held().terms().equals(terms)) {
                    held(connection, found.held().id());
                    return found.held();
                }
                if (found.heldElsewhere() || found.held().terms().shared() != terms.shared()) {
                    return found.held(); // the caller refuses its consumer
                }
                drop(connection, found.held().id()); // other terms, unheld: replaced
                if (!make(connection, id, terms)) {
                    throw new SQLException("durable subscription '" + terms.name() + "' was made again as this broker"
                            + " replaced it");
                }
                QueueKeys.notify(connection, List.of(QueueKeys.SUBSCRIPTION + found.held().id(),
                        QueueKeys.SUBSCRIPTION + id));
                return new Held(id, terms);
            }
        });
    }

    private boolean make(Connection connection, long id, DurableSubscription terms) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(MAKE_DURABLE)) {
            s.setLong(1, id);
            s.setString(2, terms.clientId());
            s.setString(3, terms.name());
            s.setString(4, terms.topic());
            s.setString(5, terms.selector());
            s.setBoolean(6, terms.noLocal());
            s.setBoolean(7, terms.shared());
            s.setObject(8, brokerId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A stored durable subscription, locked, and whether a live broker other than this one holds it. */
    private record Found(Held held, boolean heldElsewhere) {
    }

    private Found find(Connection connection, DurableSubscription terms) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(FIND_DURABLE)) {
            s.setObject(1, brokerId);
            s.setString(2, terms.clientId());
            s.setString(3, terms.name());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Found(new Held(rs.getLong(1), StoredRows.subscription(rs)), rs.getBoolean(8))
                        : null;
            }
        }
    }

    @Override
    public CompletableFuture<Held> findDurable(String clientId, String name) {
        return reader.run("look durable subscription '" + name + "' up", connection -> {
            try (PreparedStatement s = connection.prepareStatement(FIND_DURABLE_ROW)) {
                s.setString(1, clientId);
                s.setString(2, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? new Held(rs.getLong(1), StoredRows.subscription(rs)) : null;
                }
            }
        });
    }

    @Override
    public CompletableFuture<Boolean> holdDurable(long id) {
        return reader.run("hold durable subscription " + id, connection -> held(connection, id));
    }

    private boolean held(Connection connection, long id) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(HOLD_DURABLE)) {
            s.setObject(1, brokerId);
            s.setObject(2, brokerId);
            s.setLong(3, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public CompletableFuture<Boolean> removeUnheld(long id) {
        return reader.inTransaction("remove durable subscription " + id, connection -> {
            try (PreparedStatement s = connection.prepareStatement(HELD_ELSEWHERE)) {
                s.setObject(1, brokerId);
                s.setLong(2, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return true; // removed through another broker meanwhile
                    }
                    if (rs.getBoolean(1)) {
                        return false;
                    }
                }
            }
            drop(connection, id);
            QueueKeys.notify(connection, List.of(QueueKeys.SUBSCRIPTION + id)); // the other brokers forget it
            return true;
        });
    }

    private static void drop(Connection connection, long id) throws SQLException {
        for (String sql : new String[] {DROP_MESSAGES, DROP}) {
            try (PreparedStatement s = connection.prepareStatement(sql)) {
                s.setLong(1, id);
                s.executeUpdate();
            }
        }
    }
}
