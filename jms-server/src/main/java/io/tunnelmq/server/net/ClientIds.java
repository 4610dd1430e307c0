package io.tunnelmq.server.net;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The JMS client IDs of the live connections: JMS allows each on one connection at a time. */
final class ClientIds {
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    /** @return true if the ID was free and now belongs to the connection */
    boolean claim(String clientId, String connectionId) {
        return owners.putIfAbsent(clientId, connectionId) == null;
    }

    void release(String clientId, String connectionId) {
        owners.remove(clientId, connectionId);
    }
}
