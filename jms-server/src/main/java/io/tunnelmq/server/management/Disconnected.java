package io.tunnelmq.server.management;

import java.util.List;

/**
 * What {@link Management#disconnect} ended of a user's.
 *
 * @param connections     the ids of the client connections closed, in id order
 * @param consoleSessions how many web console sessions ended
 */
public record Disconnected(List<Long> connections, int consoleSessions) {
    public Disconnected {
        connections = List.copyOf(connections);
    }

    /** Whether the user had nothing open. */
    public boolean nothing() {
        return connections.isEmpty() && consoleSessions == 0;
    }
}
