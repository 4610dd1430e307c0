package io.tunnelmq.server.store.postgres;

import java.util.Objects;

/**
 * Where the PostgreSQL store is ({@code store=postgresql}) and how the brokers over it watch each other.
 *
 * @param url             the JDBC URL, {@code jdbc:postgresql://host:port/database}
 * @param user            the database user, or null (the driver's default)
 * @param password        the user's password, or null; never logged nor shown by {@link #toString()}
 * @param poolSize        the most connections the broker opens from its pool: one writes, the others claim, read
 *                        back, recover and keep the heartbeat (default 6; the wake-up listener has one of its own)
 * @param heartbeatMillis how often the broker tells the database it is alive and looks for brokers that are not
 *                        (default 1000)
 * @param staleMillis     how long a broker's heartbeat may stay silent before the others take it for dead and hand its
 *                        messages on (default 10000; more than twice heartbeatMillis)
 */
public record PostgresSettings(String url, String user, String password, int poolSize, long heartbeatMillis,
                               long staleMillis) {
    /** Default pool size: the writer, two claimers, a reader for paging and the heartbeat, and one to spare. */
    public static final int DEFAULT_POOL_SIZE = 6;
    /** Default heartbeat period. */
    public static final long DEFAULT_HEARTBEAT_MILLIS = 1000;
    /** Default silence after which a broker is taken for dead. */
    public static final long DEFAULT_STALE_MILLIS = 10_000;
    /** No database named: a broker with {@code store=postgresql} refuses to start until one is. */
    public static final PostgresSettings NONE = new PostgresSettings(null, null, null, DEFAULT_POOL_SIZE);

    public PostgresSettings {
        if (url != null && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("postgresql.url='" + url + "' must start with jdbc:postgresql:"
                    + " (for example jdbc:postgresql://localhost:5432/tunnelmq)");
        }
        if (poolSize < 2) {
            throw new IllegalArgumentException("postgresql.poolSize must be >= 2 (one writer, one reader), was "
                    + poolSize);
        }
        if (heartbeatMillis < 10) {
            throw new IllegalArgumentException("postgresql.heartbeatMillis must be >= 10, was " + heartbeatMillis);
        }
        if (staleMillis < 20) {
            throw new IllegalArgumentException("postgresql.staleMillis must be >= 20, was " + staleMillis);
        }
    }

    /** With the default heartbeat and stale times. */
    public PostgresSettings(String url, String user, String password, int poolSize) {
        this(url, user, password, poolSize, DEFAULT_HEARTBEAT_MILLIS, DEFAULT_STALE_MILLIS);
    }

    /** A copy with another URL. */
    public PostgresSettings withUrl(String newUrl) {
        return new PostgresSettings(newUrl, user, password, poolSize, heartbeatMillis, staleMillis);
    }

    /** A copy with another user. */
    public PostgresSettings withUser(String newUser) {
        return new PostgresSettings(url, newUser, password, poolSize, heartbeatMillis, staleMillis);
    }

    /** A copy with another password. */
    public PostgresSettings withPassword(String newPassword) {
        return new PostgresSettings(url, user, newPassword, poolSize, heartbeatMillis, staleMillis);
    }

    /** A copy with another pool size. */
    public PostgresSettings withPoolSize(int newPoolSize) {
        return new PostgresSettings(url, user, password, newPoolSize, heartbeatMillis, staleMillis);
    }

    /** A copy with another heartbeat period. */
    public PostgresSettings withHeartbeatMillis(long newHeartbeatMillis) {
        return new PostgresSettings(url, user, password, poolSize, newHeartbeatMillis, staleMillis);
    }

    /** A copy with another stale time. */
    public PostgresSettings withStaleMillis(long newStaleMillis) {
        return new PostgresSettings(url, user, password, poolSize, heartbeatMillis, newStaleMillis);
    }

    /**
     * Checks what the single settings cannot (each key may be set before the other): the stale time leaves room for
     * two heartbeats.
     *
     * @throws IllegalArgumentException naming both keys
     */
    void checkTimes() {
        if (staleMillis <= 2 * heartbeatMillis) {
            throw new IllegalArgumentException("postgresql.staleMillis (" + staleMillis + ") must be more than twice"
                    + " postgresql.heartbeatMillis (" + heartbeatMillis + "), or a broker that is merely slow is"
                    + " taken for dead");
        }
    }

    /** The database as messages name it: the URL without any password in it, and the user. */
    public String where() {
        String shown = url == null ? "(no postgresql.url)" : url.replaceAll("(?i)(password=)[^&]*", "$1***");
        return user == null ? shown : shown + " as " + user;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PostgresSettings s && Objects.equals(url, s.url) && Objects.equals(user, s.user)
                && Objects.equals(password, s.password) && poolSize == s.poolSize
                && heartbeatMillis == s.heartbeatMillis && staleMillis == s.staleMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, user, poolSize, heartbeatMillis, staleMillis);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "PostgresSettings[" + where() + ", poolSize=" + poolSize + ", heartbeatMillis=" + heartbeatMillis
                + ", staleMillis=" + staleMillis + "]";
    }
}
