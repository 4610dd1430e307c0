package io.tunnelmq.server;

import java.util.ArrayList;
import java.util.List;

/** The broker setting {@code peers}: other brokers named to clients, as {@code host:port} entries. */
final class PeerAddress {
    private PeerAddress() {
    }

    /**
     * Peers as written in {@code broker.properties} or after {@code --peers}: {@code host:port} entries separated by
     * commas (blanks around them ignored; an IPv6 host in brackets, {@code [::1]:9494}).
     *
     * @throws IllegalArgumentException naming the entry that is not {@code host:port} with a port 1..65535
     */
    static List<String> parseList(String commaSeparated) {
        List<String> peers = new ArrayList<>();
        for (String entry : commaSeparated.split(",", -1)) {
            String peer = entry.strip();
            check(peer);
            peers.add(peer);
        }
        return List.copyOf(peers);
    }

    /** @throws IllegalArgumentException if {@code peer} is not {@code host:port} with a port 1..65535 */
    static void check(String peer) {
        int colon = peer == null ? -1 : peer.lastIndexOf(':');
        String host = colon < 0 ? "" : peer.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]") && host.length() > 2;
        boolean plain = !host.isBlank() && !host.contains(":") && !host.contains("[") && !host.contains("]");
        if (!bracketed && !plain || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("peer '" + peer + "' must be host:port (an IPv6 host in brackets:"
                    + " [::1]:9494)");
        }
        int port;
        try {
            port = Integer.parseInt(peer.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("peer '" + peer + "' must end in :port, a number 1..65535");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("peer '" + peer + "' has port " + port + ", out of range 1..65535");
        }
    }
}
