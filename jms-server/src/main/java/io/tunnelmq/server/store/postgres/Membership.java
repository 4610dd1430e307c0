package io.tunnelmq.server.store.postgres;

import io.tunnelmq.protocol.FailureStreak;
import io.tunnelmq.server.store.StoredQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This broker's row in {@code tmq_brokers} and its heartbeat: it joins at open, beats every heartbeatMillis (the
 * database's clock, so brokers' clocks need not agree) and on each beat takes brokers silent for staleMillis for
 * dead, handing their messages on: leases cleared (delivery counts as they are), rows deleted and the other brokers
 * woken for the queues that got messages back, all in one transaction. It leaves at a clean close the same way. It
 * never joins again: a beat that finds its row gone, or a watchdog that finds its beats silent too long, fences it
 * ({@link Fencing}).
 */
final class Membership {
    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    /* leases cleared with the delivery count they have: a delivery the dead broker made was counted then (lazily) */
    private static final String FREE = "WITH freed AS (UPDATE tmq_messages SET lease_owner = NULL, lease_until = NULL"
            + " WHERE %s RETURNING queue_name, subscription_id) SELECT DISTINCT queue_name, subscription_id FROM freed";
    private static final String FREE_OWNERS = FREE.formatted("lease_owner = ANY (?)");
    /* a broker that claimed just after it was taken for dead leaves leases no row names; swept now and then */
    private static final String FREE_ORPHANS = FREE.formatted("lease_owner IS NOT NULL AND NOT EXISTS"
            + " (SELECT 1 FROM tmq_brokers b WHERE b.broker_id = tmq_messages.lease_owner)");
    /* a gone broker's non-durable subscriptions and their copies go with it (its clients' consumers are gone) */
    private static final String DROP_OWNED_MESSAGES = "DELETE FROM tmq_messages WHERE subscription_id IN"
            + " (SELECT id FROM tmq_subscriptions WHERE %s)";
    private static final String DROP_OWNED = "DELETE FROM tmq_subscriptions WHERE %s";
    /* and its temporary destinations, with what waits in its temporary queues */
    private static final String DROP_TEMPORARIES = "WITH gone AS (DELETE FROM tmq_temporaries WHERE %s RETURNING"
            + " name) DELETE FROM tmq_messages WHERE queue_name IN (SELECT name FROM gone)";
    /* and its holds of named subscriptions: shared non-durable ones it held last go with their messages */
    private static final String UNHOLD = "UPDATE tmq_subscriptions SET holders = ARRAY(SELECT h FROM unnest(holders) h"
            + " WHERE NOT (%1$s)) WHERE holders IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(holders) h WHERE %1$s)";
    private static final String DROP_UNHELD_MESSAGES = "DELETE FROM tmq_messages WHERE subscription_id IN"
            + " (SELECT id FROM tmq_subscriptions WHERE cardinality(holders) = 0 AND NOT durable)";
    private static final String DROP_UNHELD = "DELETE FROM tmq_subscriptions WHERE cardinality(holders) = 0"
            + " AND NOT durable";
    /* and the client IDs its connections held */
    private static final String DROP_CLIENT_IDS = "DELETE FROM tmq_client_ids WHERE broker_id IN (SELECT h FROM"
            + " (SELECT DISTINCT broker_id AS h FROM tmq_client_ids) ids WHERE %s)";
    private static final String OWNED_BY = "owner = ANY (?)";
    private static final String OWNED_BY_NOBODY = "owner IS NOT NULL AND NOT EXISTS"
            + " (SELECT 1 FROM tmq_brokers b WHERE b.broker_id = owner)";
    private static final String HELD_BY = "h = ANY (?)";
    private static final String HELD_BY_NOBODY = "NOT EXISTS (SELECT 1 FROM tmq_brokers b WHERE b.broker_id = h)";
    private static final String DELETE_STALE = "DELETE FROM tmq_brokers WHERE broker_id <> ?"
            + " AND heartbeat_at < now() - ? * interval '1 millisecond' RETURNING broker_id, address";
    private static final String DELETE_SAME_ADDRESS = "DELETE FROM tmq_brokers WHERE broker_id <> ? AND address = ?"
            + " RETURNING broker_id, address";
    private static final String BEAT = "UPDATE tmq_brokers SET heartbeat_at = now() WHERE broker_id = ?";
    /* a store's broker id is new (random) and never joins twice: no conflict to resolve */
    private static final String INSERT = "INSERT INTO tmq_brokers (broker_id, address) VALUES (?, ?)";

    private final DataSource dataSource;
    private final UUID brokerId;
    private final String address;
    private final PostgresSettings settings;
    private final String where;
    private final ScheduledExecutorService heartbeat;
    private final ScheduledExecutorService watchdog;
    private final Fencing fencing;
    private long beats;
    private final FailureStreak beating = new FailureStreak();
    private final FailureStreak handingOn = new FailureStreak();

    /** @param watchdog checks the {@code fencing} while a beat may hang on the heartbeat thread */
    Membership(DataSource dataSource, UUID brokerId, String address, PostgresSettings settings,
               ScheduledExecutorService heartbeat, ScheduledExecutorService watchdog, Fencing fencing) {
        this.dataSource = dataSource;
        this.brokerId = brokerId;
        this.address = address;
        this.settings = settings;
        this.where = settings.where();
        this.heartbeat = heartbeat;
        this.watchdog = watchdog;
        this.fencing = fencing;
    }

    /**
     * Registers this broker; a broker at the same address is this one's previous run (it was restarted here), so
     * its messages are handed on at once rather than after staleMillis. Then beats on the heartbeat thread.
     */
    void join() throws SQLException {
        long start = fencing.beatStarts();
        try (Connection connection = dataSource.getConnection()) {
            inTransaction(connection, () -> {
                reap(connection, DELETE_SAME_ADDRESS, s -> s.setString(2, address), "was restarted at this address");
                try (PreparedStatement s = connection.prepareStatement(INSERT)) {
                    s.setObject(1, brokerId);
                    s.setString(2, address);
                    s.executeUpdate();
                }
            });
        }
        log.info("PostgreSQL store at {}: this broker joined the brokers over the database as {} ({})", where,
                brokerId, address);
        fencing.beatReached(start);
        heartbeat.scheduleWithFixedDelay(this::beat, settings.heartbeatMillis(), settings.heartbeatMillis(),
                TimeUnit.MILLISECONDS);
        long check = Math.max(1, settings.heartbeatMillis() / 4);
        watchdog.scheduleWithFixedDelay(fencing::check, check, check, TimeUnit.MILLISECONDS);
    }

    /**
     * One beat: this broker's heartbeat, then the stale brokers' messages handed on ({@link #handOn}). On the
     * heartbeat thread; none once fenced.
     */
    void beat() {
        if (fencing.fenced()) {
            return;
        }
        long start = fencing.beatStarts();
        try (Connection connection = dataSource.getConnection()) {
            int updated = ReaderCalls.inTransaction(connection, c -> {
                try (PreparedStatement s = connection.prepareStatement(BEAT)) {
                    s.setObject(1, brokerId);
                    return s.executeUpdate();
                }
            });
            if (updated == 0) {
                fencing.fence("the other brokers took it (" + brokerId + ") for dead: its heartbeat was silent for"
                        + " postgresql.staleMillis=" + settings.staleMillis() + " ms");
                return;
            }
            fencing.beatReached(start);
            if (beating.succeeded()) {
                log.info("PostgreSQL store at {}: the heartbeat reaches the database again", where);
            }
            handOn(connection);
        } catch (SQLException | RuntimeException e) {
            if (beating.failed()) {
                log.warn("PostgreSQL store at {}: the heartbeat failed (the other brokers take this one for dead"
                        + " after postgresql.staleMillis={} ms without it, and it stops serving just before): {}",
                        where, settings.staleMillis(), e.getMessage());
            } else {
                log.debug("PostgreSQL store at {}: the heartbeat failed again: {}", where, e.toString());
            }
        }
    }

    /**
     * Takes the stale brokers for dead and, now and then, sweeps what no broker holds. Rows it must change may be
     * locked by a session that is gone quiet (a dead broker's, cut off in the middle of a transaction, until the
     * database ends it: {@link DatabaseOpening#sessionSetup}; or an operator's open transaction): it waits for a lock
     * at most {@link #lockWaitMillis} and tries again at the next beat, or this broker's own heartbeat would stall
     * behind it and fence it too.
     */
    private void handOn(Connection connection) {
        try {
            inTransaction(connection, () -> {
                waitForLocksAtMost(connection);
                reap(connection, DELETE_STALE, s -> s.setLong(2, settings.staleMillis()),
                        "stayed silent for " + settings.staleMillis() + " ms");
            });
            if (++beats % Math.max(1, settings.staleMillis() / settings.heartbeatMillis()) == 0) {
                inTransaction(connection, () -> {
                    waitForLocksAtMost(connection);
                    dropOwned(connection, OWNED_BY_NOBODY, HELD_BY_NOBODY, null);
                    free(connection, FREE_ORPHANS, null, "(leases of no broker)");
                });
            }
            if (handingOn.succeeded()) {
                log.info("PostgreSQL store at {}: this broker takes silent brokers for dead again", where);
            }
        } catch (SQLException | RuntimeException e) {
            if (handingOn.failed()) {
                log.warn("PostgreSQL store at {}: could not take silent brokers for dead and hand their messages on"
                        + " now; trying again at every heartbeat: {}", where, e.getMessage());
            } else {
                log.debug("PostgreSQL store at {}: handing on failed again: {}", where, e.toString());
            }
        }
    }

    /** A quarter beat: the heartbeat's next start moves by at most that (the fence is 1.5 beats away at the least). */
    private long lockWaitMillis() {
        return Math.max(1, settings.heartbeatMillis() / 4);
    }

    private void waitForLocksAtMost(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET LOCAL lock_timeout = " + lockWaitMillis());
        }
    }

    /** Hands this broker's messages on and deletes its row, in one transaction. Call once nothing writes or claims. */
    void leave() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            inTransaction(connection, () -> {
                dropOwned(connection, OWNED_BY, HELD_BY, new UUID[] {brokerId});
                free(connection, FREE_OWNERS, new UUID[] {brokerId}, brokerId.toString());
                try (PreparedStatement s = connection.prepareStatement("DELETE FROM tmq_brokers WHERE broker_id = ?")) {
                    s.setObject(1, brokerId);
                    s.executeUpdate();
                }
            });
        }
        log.info("PostgreSQL store at {}: this broker ({}) left the brokers over the database", where, brokerId);
    }

    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    private interface Work {
        void run() throws SQLException;
    }

    /** Deletes the brokers {@code deleteSql} picks and hands their messages on. */
    private void reap(Connection connection, String deleteSql, Binder binder, String why) throws SQLException {
        List<UUID> gone = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(deleteSql)) {
            s.setObject(1, brokerId);
            binder.bind(s);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    gone.add(rs.getObject(1, UUID.class));
                    addresses.add(rs.getString(2));
                }
            }
        }
        if (!gone.isEmpty()) {
            dropOwned(connection, OWNED_BY, HELD_BY, gone.toArray(UUID[]::new));
            int queues = free(connection, FREE_OWNERS, gone.toArray(UUID[]::new), gone.toString());
            log.warn("PostgreSQL store at {}: broker(s) {} at {} {}: taken for dead, their messages of {} queue(s)"
                    + " handed on", where, gone, addresses, why, queues);
        }
    }

    /**
     * Deletes the non-durable subscriptions and temporary destinations {@code owned} picks (owned by {@code owners})
     * with their messages, takes the holds {@code held} picks off named subscriptions (shared non-durable ones no
     * broker holds any more go with their messages) and deletes the client IDs of the brokers it picks.
     */
    private static void dropOwned(Connection connection, String owned, String held, UUID[] owners)
            throws SQLException {
        for (String sql : new String[] {DROP_OWNED_MESSAGES.formatted(owned), DROP_OWNED.formatted(owned),
                DROP_TEMPORARIES.formatted(owned), UNHOLD.formatted(held), DROP_UNHELD_MESSAGES, DROP_UNHELD,
                DROP_CLIENT_IDS.formatted(held)}) {
            try (PreparedStatement s = connection.prepareStatement(sql)) {
                long parameters = owners == null ? 0 : sql.chars().filter(c -> c == '?').count(); // each the owners
                for (int i = 1; i <= parameters; i++) {
                    s.setArray(i, connection.createArrayOf("uuid", owners));
                }
                s.executeUpdate();
            }
        }
    }

    /** Clears leases, wakes the brokers for their queues; returns how many queues got messages back. */
    private static int free(Connection connection, String sql, UUID[] owners, String whose) throws SQLException {
        Set<String> keys = new LinkedHashSet<>();
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            if (owners != null) {
                s.setArray(1, connection.createArrayOf("uuid", owners));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    keys.add(QueueKeys.key(name != null ? StoredQueue.queue(name)
                            : StoredQueue.subscription(rs.getLong(2))));
                }
            }
        }
        if (!keys.isEmpty()) {
            log.debug("leases of {} cleared on {} queue(s)", whose, keys.size());
        }
        QueueKeys.notify(connection, keys.size() > OpStatements.MAX_WAKE_UPS ? List.of(QueueKeys.ANY) : keys);
        return keys.size();
    }

    private static void inTransaction(Connection connection, Work work) throws SQLException {
        ReaderCalls.inTransaction(connection, c -> {
            work.run();
            return null;
        });
    }
}
