package io.tunnelmq.server.net;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Connection ids as operators read them. An id is {@code <broker instance>-<n>} (see {@link TunnelServer}): within
 * one broker run the number {@code n} alone is unique, so operators see and type just that.
 */
final class ConnectionNumbers {
    private ConnectionNumbers() {
    }

    /** The number at the end of a connection id; -1 if it has none (ids made up by tests). */
    static long number(String connectionId) {
        int dash = connectionId.lastIndexOf('-');
        try {
            return Long.parseLong(connectionId.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code host:port} of a peer. */
    static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet) {
            return inet.getAddress() == null ? inet.getHostString() + ":" + inet.getPort()
                    : inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(remote);
    }

    /** {@code connection 7 (alice@127.0.0.1:53412, client ID app1)}. */
    static String describe(String connectionId, String user, SocketAddress remote, String clientId) {
        StringBuilder sb = new StringBuilder("connection ").append(number(connectionId)).append(" (");
        if (user != null) {
            sb.append(user).append('@');
        }
        sb.append(address(remote));
        if (clientId != null) {
            sb.append(", client ID ").append(clientId);
        }
        return sb.append(')').toString();
    }
}
