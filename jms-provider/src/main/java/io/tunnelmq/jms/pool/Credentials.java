package io.tunnelmq.jms.pool;

/**
 * The key of the connection pool: connections opened with different credentials are never handed to each other.
 * Both null means the target factory's own defaults ({@code createConnection()}).
 */
record Credentials(String user, String password) {
    static final Credentials DEFAULT = new Credentials(null, null);

    boolean isDefault() {
        return user == null && password == null;
    }

    @Override
    public String toString() {
        // the key shows up in logs and pool messages: never the password
        return isDefault() ? "default credentials" : "user '" + user + "'";
    }
}
