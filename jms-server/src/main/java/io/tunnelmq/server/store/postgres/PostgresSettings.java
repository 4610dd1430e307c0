package io.tunnelmq.server.store.postgres;

import java.util.Objects;

/**
 * Where the PostgreSQL store is ({@code store=postgresql}).
 *
 * @param url      the JDBC URL, {@code jdbc:postgresql://host:port/database}
 * @param user     the database user, or null (the driver's default)
 * @param password the user's password, or null; never logged nor shown by {@link #toString()}
 * @param poolSize the most connections the broker opens: one writes, the others read back and recover (default 4)
 */
public record PostgresSettings(String url, String user, String password, int poolSize) {
    /** Default pool size: the writer, and readers for paging. */
    public static final int DEFAULT_POOL_SIZE = 4;
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
    }

    /** A copy with another URL. */
    public PostgresSettings withUrl(String newUrl) {
        return new PostgresSettings(newUrl, user, password, poolSize);
    }

    /** A copy with another user. */
    public PostgresSettings withUser(String newUser) {
        return new PostgresSettings(url, newUser, password, poolSize);
    }

    /** A copy with another password. */
    public PostgresSettings withPassword(String newPassword) {
        return new PostgresSettings(url, user, newPassword, poolSize);
    }

    /** A copy with another pool size. */
    public PostgresSettings withPoolSize(int newPoolSize) {
        return new PostgresSettings(url, user, password, newPoolSize);
    }

    /** The database as messages name it: the URL without any password in it, and the user. */
    public String where() {
        String shown = url == null ? "(no postgresql.url)" : url.replaceAll("(?i)(password=)[^&]*", "$1***");
        return user == null ? shown : shown + " as " + user;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PostgresSettings s && Objects.equals(url, s.url) && Objects.equals(user, s.user)
                && Objects.equals(password, s.password) && poolSize == s.poolSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, user, poolSize);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "PostgresSettings[" + where() + ", poolSize=" + poolSize + "]";
    }
}
