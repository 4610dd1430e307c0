package io.tunnelmq.jms;

import io.tunnelmq.protocol.Protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The broker list of a connection URL's authority ({@code host1:port1,host2,[::1]:9494}). Parsed by hand:
 * {@link java.net.URI} takes a comma-separated list for a registry-based authority and names no host.
 * Every address comes out as {@code host:port}, an IPv6 literal in brackets so the last colon is the port's.
 */
final class BrokerAddresses {
    /** Host names (letters, digits, dot, hyphen, underscore) and IPv4 literals. */
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    /** What may stand between the brackets of an IPv6 literal, a zone id ({@code %eth0}) included. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._-]+)?");

    private BrokerAddresses() {
    }

    /**
     * The addresses of an authority, in order.
     *
     * @throws IllegalArgumentException naming the entry that is wrong and why
     */
    static List<String> parse(String authority) {
        if (authority.isEmpty()) {
            throw new IllegalArgumentException("it names no broker; expected tmq://host:port or"
                    + " tmq://host1:port1,host2:port2");
        }
        List<String> out = new ArrayList<>();
        for (String entry : authority.split(",", -1)) {
            out.add(canonical(entry));
        }
        return out;
    }

    /**
     * One address as {@code host:port}: the port may be left out (the default port), an IPv6 host must be in
     * brackets.
     *
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     */
    static String canonical(String entry) {
        String e = entry.trim();
        if (e.isEmpty()) {
            throw bad(entry, "it is empty (two commas in a row, or a comma at an end?)");
        }
        String host;
        String portText;
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0) {
                throw bad(entry, "its IPv6 address has no closing ']'");
            }
            host = e.substring(1, close);
            if (!IPV6.matcher(host).matches()) {
                throw bad(entry, "'" + host + "' between the brackets is not an IPv6 address");
            }
            String rest = e.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw bad(entry, "a ':' and the port must follow the ']'");
            }
            portText = rest.isEmpty() ? null : rest.substring(1);
            host = "[" + host + "]";
        } else {
            int colon = e.indexOf(':');
            if (colon >= 0 && e.indexOf(':', colon + 1) >= 0) {
                throw bad(entry, "an IPv6 address must be in brackets, as in [::1]:" + Protocol.DEFAULT_PORT);
            }
            host = colon < 0 ? e : e.substring(0, colon);
            portText = colon < 0 ? null : e.substring(colon + 1);
            if (host.isEmpty()) {
                throw bad(entry, "it names no host");
            }
            if (!HOST_NAME.matcher(host).matches()) {
                throw bad(entry, "'" + host + "' is not a host name or IP address");
            }
        }
        return host + ":" + port(entry, portText);
    }

    /** The host of a canonical address, without the brackets of an IPv6 literal. */
    static String host(String address) {
        String host = address.substring(0, address.lastIndexOf(':'));
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** The port of a canonical address. */
    static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private static int port(String entry, String text) {
        if (text == null) {
            return Protocol.DEFAULT_PORT;
        }
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException ex) {
            throw bad(entry, "its port '" + text + "' is not a number in 1..65535");
        }
        if (port < 1 || port > 65535) {
            throw bad(entry, "its port " + port + " is not in 1..65535");
        }
        return port;
    }

    private static IllegalArgumentException bad(String entry, String why) {
        return new IllegalArgumentException("broker address '" + entry + "' is malformed: " + why);
    }
}
