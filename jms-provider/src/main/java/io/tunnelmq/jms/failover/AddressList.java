package io.tunnelmq.jms.failover;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The brokers one connection may use, {@code host:port} each: the configured ones (shuffled once for this
 * connection when asked to) and the peers brokers named since; configured ones are never dropped. Thread-safe.
 */
final class AddressList {
    private final List<String> addresses;

    AddressList(FailoverOptions options, Random random) {
        this.addresses = new ArrayList<>(options.addresses());
        if (options.randomize()) {
            Collections.shuffle(addresses, random);
        }
    }

    /** Every address in this connection's order. */
    synchronized List<String> all() {
        return List.copyOf(addresses);
    }

    /** The order of one reconnect round: the address just lost first (a restarted broker is the common case). */
    synchronized List<String> startingWith(String lost) {
        List<String> order = new ArrayList<>(addresses.size());
        if (lost != null && addresses.contains(lost)) {
            order.add(lost);
        }
        for (String a : addresses) {
            if (!a.equals(lost)) {
                order.add(a);
            }
        }
        return order;
    }

    /** Adds the peers a broker named that the list does not hold yet. */
    synchronized void learn(List<String> peers) {
        for (String p : peers) {
            if (p != null && !p.isBlank() && !addresses.contains(p)) {
                addresses.add(p);
            }
        }
    }

    /** The host of {@code host:port} (IPv6 literals in brackets lose them). */
    static String host(String address) {
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The port of {@code host:port}. */
    static int port(String address) {
        int colon = address.lastIndexOf(':');
        try {
            return Integer.parseInt(address.substring(colon + 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("broker address '" + address + "' is not host:port", e);
        }
    }
}
