package io.tunnelmq.server.admin;

import io.tunnelmq.protocol.Protocol;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The broker URL of the {@code admin} command: {@code tmq://host[:port]} or {@code tmqs://host[:port]} (TLS), with the
 * TLS options the JMS client knows — {@code trustStore}, {@code trustStorePassword}, {@code keyStore},
 * {@code keyStorePassword} (PKCS12), {@code verifyHost} (default true) — and {@code user}/{@code password}.
 *
 * @param options the query options, decoded
 */
record AdminUrl(boolean tls, String host, int port, Map<String, String> options) {
    private static final Set<String> KNOWN = Set.of("trustStore", "trustStorePassword", "keyStore", "keyStorePassword",
            "verifyHost", "user", "password");

    /** @throws IllegalArgumentException saying what is wrong with the URL */
    static AdminUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("--url is missing: give the broker's address, e.g. --url tmq://localhost:"
                    + Protocol.DEFAULT_PORT);
        }
        boolean tls;
        String rest;
        if (url.startsWith(Protocol.SCHEME + "://")) {
            tls = false;
            rest = url.substring(Protocol.SCHEME.length() + 3);
        } else if (url.startsWith("tmqs://")) {
            tls = true;
            rest = url.substring("tmqs://".length());
        } else {
            throw new IllegalArgumentException("'" + safe(url) + "' is not a broker URL: it starts with tmq:// or"
                    + " tmqs://");
        }
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        String host = rest;
        int port = Protocol.DEFAULT_PORT;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0 && rest.indexOf(']', colon) < 0) {
            host = rest.substring(0, colon);
            try {
                port = Integer.parseInt(rest.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("the port in '" + safe(url) + "' is not a number from 1 to 65535");
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + safe(url) + "' names no host");
        }
        return new AdminUrl(tls, host, port, options(query, url));
    }

    String option(String name) {
        return options.get(name);
    }

    private static Map<String, String> options(String query, String url) {
        Map<String, String> options = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return options;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (KNOWN.contains(name)) {
                options.put(name, value);
            } else if (!name.isEmpty()) {
                throw new IllegalArgumentException("unknown option '" + name + "' in '" + safe(url) + "'; the admin"
                        + " command knows " + String.join(", ", KNOWN));
            }
        }
        return options;
    }

    /** The URL without its query: the query may hold passwords, which never go to the output. */
    static String safe(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }

    @Override
    public String toString() {
        return (tls ? "tmqs://" : "tmq://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
