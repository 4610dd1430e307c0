package io.tunnelmq.server.management;

import java.util.List;

/**
 * The broker's open client connections, as the network layer knows them: management asks through this, so it needs
 * nothing of the network layer. Implementations are thread-safe and may be called from any thread except a
 * connection's event loop (they may wait briefly for each connection's loop to describe it).
 */
public interface ConnectionDirectory {
    /** A broker without connections (a management service used before the broker listens). */
    ConnectionDirectory NONE = new ConnectionDirectory() {
        @Override
        public List<ConnectionView> connections() {
            return List.of();
        }

        @Override
        public boolean close(long id) {
            return false;
        }

        @Override
        public String describe(String connectionId) {
            return connectionId == null ? null : "connection " + connectionId;
        }
    };

    /** Every open connection that has logged in, in id order. */
    List<ConnectionView> connections();

    /**
     * Closes a connection as lost (its locks are given back, the client is told an administrator closed it).
     *
     * @return false if no open connection has that id
     */
    boolean close(long id);

    /**
     * Who a connection is, in a few words: {@code connection 7 (alice@127.0.0.1:53412, client ID app1)}; just
     * {@code connection <id>} for one that is gone.
     *
     * @param connectionId the connection's id as queues and logs know it
     */
    String describe(String connectionId);
}
