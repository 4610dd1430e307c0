package io.tunnelmq.server.store.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Brings the database's schema to the version this broker knows: runs the scripts {@code V<n>__<what>.sql} (resources
 * beside this class) newer than the highest version in {@code tmq_schema_version}, all in ONE transaction that holds a
 * transaction-level advisory lock, so two brokers starting together on an empty database do not race (the second
 * waits, then finds the schema made) and a failed script leaves nothing half made.
 */
final class SchemaMigrations {
    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);
    /** The scripts in order; version n is element n-1. A new one is appended, never edited once released. */
    static final List<String> SCRIPTS = List.of("V1__messages.sql", "V2__cluster.sql", "V3__topics.sql",
            "V4__shared_subscriptions.sql", "V5__claim_ids.sql", "V6__purges.sql",
            "V7__purge_times.sql", "V8__subscription_purges.sql", "V9__client_ids.sql");
    /** The advisory lock's key: "TMQ1" in ASCII, chosen so no other application is likely to use it. */
    private static final long LOCK_KEY = 0x544d5131L;

    private SchemaMigrations() {
    }

    /**
     * Migrates the schema and returns its version.
     *
     * @throws SQLException if a script fails (nothing of the migration is kept) or the database's schema is newer
     *     than this broker's
     */
    static int migrate(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            statement.execute("CREATE TABLE IF NOT EXISTS tmq_schema_version (version integer PRIMARY KEY,"
                    + " script text NOT NULL, installed_at timestamptz NOT NULL DEFAULT now())");
            int current;
            try (ResultSet rs = statement.executeQuery("SELECT coalesce(max(version), 0) FROM tmq_schema_version")) {
                rs.next();
                current = rs.getInt(1);
            }
            if (current > SCRIPTS.size()) {
                throw new SQLException("the database's TunnelMQ schema is version " + current + ", newer than this"
                        + " broker's " + SCRIPTS.size() + "; run a broker of the same or a newer version");
            }
            for (int version = current + 1; version <= SCRIPTS.size(); version++) {
                String script = SCRIPTS.get(version - 1);
                statement.execute(read(script));
                try (PreparedStatement done = connection.prepareStatement(
                        "INSERT INTO tmq_schema_version (version, script) VALUES (?, ?)")) {
                    done.setInt(1, version);
                    done.setString(2, script);
                    done.executeUpdate();
                }
                log.info("PostgreSQL store: schema migrated to version {} ({})", version, script);
            }
            connection.commit();
            return SCRIPTS.size();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static String read(String script) throws SQLException {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream(script)) {
            if (in == null) {
                throw new SQLException("the schema script " + script + " is missing from the broker's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("cannot read the schema script " + script + ": " + e.getMessage(), e);
        }
    }
}
