package io.tunnelmq.server.net;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's open connections: by connection id, so a client that reconnects can end the connection it replaces
 * (Hello option {@code resume}; ids are predictable, so the connection itself checks the successor's resume key and
 * user before it ends), and by JMS client ID, which JMS allows on one connection at a time. Thread-safe.
 */
final class LiveConnections {
    private final Map<String, ConnectionHandler> byId = new ConcurrentHashMap<>();
    private final Map<String, String> clientIdOwners = new ConcurrentHashMap<>();

    void opened(String connectionId, ConnectionHandler connection) {
        byId.put(connectionId, connection);
    }

    void closed(String connectionId, ConnectionHandler connection) {
        byId.remove(connectionId, connection);
    }

    /** The open connection with this id, or null. */
    ConnectionHandler find(String connectionId) {
        return byId.get(connectionId);
    }

    /** @return true if the client ID was free and now belongs to the connection */
    boolean claimClientId(String clientId, String connectionId) {
        return clientIdOwners.putIfAbsent(clientId, connectionId) == null;
    }

    void releaseClientId(String clientId, String connectionId) {
        clientIdOwners.remove(clientId, connectionId);
    }
}
