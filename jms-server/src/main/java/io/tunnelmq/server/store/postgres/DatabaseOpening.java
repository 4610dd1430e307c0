package io.tunnelmq.server.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tunnelmq.server.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opening the database: the pool (HikariCP), the schema brought up to date ({@link SchemaMigrations}) and the store's
 * identity read; a database that cannot be reached or migrated is named in the error (never the password).
 */
final class DatabaseOpening {
    private static final Logger log = LoggerFactory.getLogger(DatabaseOpening.class);

    /** An open pool over a database whose schema is current, and the identity made with that schema. */
    record Opened(HikariDataSource dataSource, String identity) {
    }

    private DatabaseOpening() {
    }

    /**
     * A timeout as the driver takes it (loginTimeout, socketTimeout): whole seconds, rounded up, at least one. Without
     * a login timeout, a connection to a database that accepts the connection but never answers (a stalled network)
     * waits forever, in the broker's start too.
     */
    static String driverSeconds(long millis) {
        return Long.toString(Math.max(1, (millis + 999) / 1000));
    }

    /**
     * What every connection of the pool runs first. A transaction that sits idle longer than staleMillis ends with its
     * session, on the database's side: a broker cut off in the middle of one (a stalled network, where neither end
     * sees the connection close) would otherwise keep its row locks until the database's TCP keepalive gave up, maybe
     * hours, and the others, taking it for dead, would wait on them (its heartbeat row, the messages it leased). Its
     * own transactions never idle that long: a broker silent for staleMillis is taken for dead anyway.
     */
    static String sessionSetup(PostgresSettings settings) {
        return "SET idle_in_transaction_session_timeout = " + settings.staleMillis();
    }

    /** @throws StoreException for settings that cannot work, or naming the database and what to check */
    static Opened open(PostgresSettings settings, long connectionTimeoutMillis) {
        String where = settings.where();
        if (settings.url() == null) {
            throw new StoreException("store=postgresql needs postgresql.url (jdbc:postgresql://host:port/database)");
        }
        try {
            settings.checkTimes();
        } catch (IllegalArgumentException e) {
            throw new StoreException(e.getMessage(), e);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("tunnelmq-postgresql");
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(connectionTimeoutMillis);
        // a database that cannot be reached stops the start at the first attempt: the operator sees why at once
        config.setInitializationFailTimeout(1);
        config.setConnectionInitSql(sessionSetup(settings));
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", "TunnelMQ broker");
        config.addDataSourceProperty("loginTimeout", driverSeconds(connectionTimeoutMillis));
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to the PostgreSQL database at " + where + ": "
                    + rootMessage(e) + "; check postgresql.url, postgresql.user and postgresql.password, and that"
                    + " the database runs and accepts connections from this host", e);
        }
        String identity;
        try (Connection connection = dataSource.getConnection()) {
            int version = SchemaMigrations.migrate(connection);
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT identity FROM tmq_store")) {
                if (!rs.next()) {
                    throw new SQLException("the table tmq_store has no row (made with the schema); was it emptied"
                            + " by hand?");
                }
                identity = rs.getString(1);
            }
            log.info("PostgreSQL store at {}: schema version {}, store identity {}", where, version, identity);
        } catch (SQLException | RuntimeException e) {
            dataSource.close();
            throw new StoreException("cannot open the PostgreSQL store at " + where + ": " + rootMessage(e), e);
        }
        return new Opened(dataSource, identity);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }
}
