package io.tunnelmq.jms;

import io.tunnelmq.protocol.Protocol;

import java.io.Serializable;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of a TunnelMQ connection, parsed from a URL of the form
 * {@code tmq://host:port?option=value&...}. Every option has a default that serves a laptop.
 *
 * <p>The URL may name several brokers, {@code tmq://host1:port1,host2:port2?...}: the connection goes to the first
 * that answers and, when it loses its broker, reconnects to any of them (see the {@code reconnect} options). A port
 * left out is {@value Protocol#DEFAULT_PORT}; an IPv6 address goes in brackets, {@code tmq://[::1]:9494}.
 *
 * <p>{@code tmqs://host:port} (also {@code tmqs://h1:p1,h2:p2}) connects through TLS to the broker's TLS port, with the
 * {@link TlsOptions} below; the {@code javax.net.ssl.*} system properties serve when the URL names no store.
 *
 * <table>
 *   <caption>URL options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>clientID</td><td>none</td><td>JMS client ID, fixed administratively (the application cannot change it)</td></tr>
 *   <tr><td>user, password</td><td>none</td><td>credentials used when the application passes none</td></tr>
 *   <tr><td>prefetch</td><td>300</td><td>messages the broker may deliver to a consumer ahead of the application; 0 pulls one per receive</td></tr>
 *   <tr><td>connectTimeout</td><td>10000</td><td>milliseconds to establish the connection and handshake</td></tr>
 *   <tr><td>requestTimeout</td><td>30000</td><td>milliseconds a blocking call waits for the broker's answer</td></tr>
 *   <tr><td>sendTimeout</td><td>30000</td><td>milliseconds a send waits for room in the send window before it fails</td></tr>
 *   <tr><td>heartbeat</td><td>3000</td><td>milliseconds between heartbeats (the broker may lower it); a peer silent for
 *       three intervals is dead; after two the client hands out no buffered message until it hears from the broker
 *       again; 0 disables</td></tr>
 *   <tr><td>lockDuration</td><td>0</td><td>milliseconds a delivered message stays locked; 0 uses the broker's setting</td></tr>
 *   <tr><td>maxFrameSize</td><td>16777216</td><td>largest frame this client sends or accepts, in bytes</td></tr>
 *   <tr><td>prefetchBytes</td><td>1048576</td><td>bytes the broker may deliver to a consumer ahead of the application; 0 = no byte limit</td></tr>
 *   <tr><td>maxLockRenewal</td><td>300000</td><td>milliseconds the client keeps renewing the lock of a message it holds and has not settled; 0 never renews</td></tr>
 *   <tr><td>serializablePackages</td><td>none</td><td>comma-separated class name prefixes (such as {@code com.example.orders.})
 *       whose classes an ObjectMessage of this factory's connections may deserialize, in addition to {@code java.},
 *       {@code javax.} and {@code jakarta.}; overrides the system property {@code io.tunnelmq.serializable.packages}.
 *       {@code *} allows every class, which is unsafe: a sender could make the receiver run code
 *       (see {@link io.tunnelmq.jms.message.SerializablePackages})</td></tr>
 *   <tr><td>reconnect</td><td>true</td><td>{@code true}: a connection that loses its broker reconnects (to the same
 *       broker or another of the list) and restores its sessions, consumers and producers, without the application
 *       noticing; {@code false}: it fails at once (the ExceptionListener hears it)</td></tr>
 *   <tr><td>reconnectTimeout</td><td>120000</td><td>milliseconds a lost connection keeps trying to reconnect before it
 *       fails; calls made meanwhile wait that long at most; 0 tries forever</td></tr>
 *   <tr><td>reconnectDelay</td><td>100</td><td>milliseconds between the first and the second attempt (the first is at
 *       once)</td></tr>
 *   <tr><td>reconnectBackoff</td><td>2.0</td><td>each later wait is the previous one times this (a decimal >= 1; 1 keeps
 *       the delay constant)</td></tr>
 *   <tr><td>reconnectMaxDelay</td><td>2000</td><td>the longest wait between two attempts, in milliseconds</td></tr>
 *   <tr><td>randomize</td><td>false</td><td>{@code true}: try the brokers of the list in a random order (spreading
 *       clients over them); {@code false}: in the URL's order</td></tr>
 *   <tr><td>trustStore, trustStorePassword</td><td>the JDK's</td><td>({@code tmqs} only) file of the certificates the
 *       broker's certificate is checked against (or {@code -Djavax.net.ssl.trustStore})</td></tr>
 *   <tr><td>keyStore, keyStorePassword</td><td>none</td><td>({@code tmqs} only) file with the client's key and
 *       certificate, for mutual TLS (or {@code -Djavax.net.ssl.keyStore})</td></tr>
 *   <tr><td>trustStoreType, keyStoreType</td><td>PKCS12</td><td>({@code tmqs} only) the stores' format</td></tr>
 *   <tr><td>verifyHost</td><td>true</td><td>({@code tmqs} only) the broker's certificate must name the URL's host, as
 *       for HTTPS; {@code false} only for tests</td></tr>
 * </table>
 * Boolean options take {@code true} or {@code false}.
 *
 * @param addresses            the brokers, {@code host:port} each (an IPv6 host in brackets), in the URL's order
 * @param clientId             administratively configured client ID, or null
 * @param user                 default user name, or null
 * @param password             default password, or null
 * @param prefetch             consumer prefetch in messages, >= 0
 * @param connectTimeoutMillis connect and handshake timeout
 * @param requestTimeoutMillis how long a blocking call waits for the broker
 * @param sendTimeoutMillis    how long a send waits for send window
 * @param heartbeatMillis      heartbeat interval, 0 = off
 * @param lockDurationMillis   requested lock duration, 0 = broker default
 * @param maxFrameSize         maximum frame size in bytes
 * @param prefetchBytes        consumer prefetch in bytes, 0 = no byte limit
 * @param maxLockRenewalMillis how long locks of held, unsettled messages are renewed, 0 = never
 * @param serializablePackages the ObjectMessage deserialization allow-list's extra prefixes (comma-separated), or
 *                             null to use the system property
 * @param reconnect            how a lost connection reconnects
 * @param tls                  TLS settings for a {@code tmqs://} URL, null for {@code tmq://}
 */
// Serializable so factories can be bound by value in any JNDI tree; deserialisation runs the validating constructor.
public record ConnectionOptions(List<String> addresses, String clientId, String user, String password, int prefetch,
                                long connectTimeoutMillis, long requestTimeoutMillis, long sendTimeoutMillis,
                                int heartbeatMillis, long lockDurationMillis, int maxFrameSize, long prefetchBytes,
                                long maxLockRenewalMillis, String serializablePackages, ReconnectOptions reconnect,
                                TlsOptions tls)
        implements Serializable {

    /** The URL used when none is configured. */
    public static final String DEFAULT_URL = "tmq://localhost:" + Protocol.DEFAULT_PORT;

    private static final Set<String> OPTIONS = Set.of("clientID", "user", "password", "prefetch", "connectTimeout",
            "requestTimeout", "sendTimeout", "heartbeat", "lockDuration", "maxFrameSize", "prefetchBytes",
            "maxLockRenewal", "serializablePackages", "reconnect", "reconnectTimeout", "reconnectDelay",
            "reconnectBackoff", "reconnectMaxDelay", "randomize", "trustStore", "trustStorePassword", "trustStoreType",
            "keyStore", "keyStorePassword", "keyStoreType", "verifyHost");
    private static final Set<String> TLS_OPTIONS = Set.of("trustStore", "trustStorePassword", "trustStoreType",
            "keyStore", "keyStorePassword", "keyStoreType", "verifyHost");
    private static final String TLS_SCHEME = Protocol.SCHEME + "s";

    public ConnectionOptions {
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(reconnect, "reconnect");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one broker address is needed");
        }
        addresses = addresses.stream().map(BrokerAddresses::canonical).toList();
        requireNonNegative("prefetch", prefetch);
        requirePositive("connectTimeout", connectTimeoutMillis);
        requirePositive("requestTimeout", requestTimeoutMillis);
        requirePositive("sendTimeout", sendTimeoutMillis);
        requireNonNegative("heartbeat", heartbeatMillis);
        requireNonNegative("lockDuration", lockDurationMillis);
        requireNonNegative("prefetchBytes", prefetchBytes);
        requireNonNegative("maxLockRenewal", maxLockRenewalMillis);
        if (maxFrameSize < 1024) {
            throw new IllegalArgumentException("maxFrameSize must be at least 1024 bytes, was " + maxFrameSize);
        }
    }

    /** The defaults, connecting to localhost on the default port. */
    public static ConnectionOptions defaults() {
        return parse(DEFAULT_URL);
    }

    /**
     * Parses a connection URL.
     *
     * @throws IllegalArgumentException naming what is wrong: scheme, host, port, an unknown option or a bad value
     */
    public static ConnectionOptions parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("the connection URL is empty; expected " + DEFAULT_URL);
        }
        String trimmed = url.trim();
        int schemeEnd = trimmed.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : trimmed.substring(0, schemeEnd);
        boolean secure = TLS_SCHEME.equalsIgnoreCase(scheme);
        if (!secure && !Protocol.SCHEME.equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("connection URL '" + url + "' must start with " + Protocol.SCHEME
                    + ":// (or " + TLS_SCHEME + ":// for TLS), for example " + DEFAULT_URL);
        }
        String rest = trimmed.substring(schemeEnd + 3);
        int queryStart = rest.indexOf('?');
        String authority = queryStart < 0 ? rest : rest.substring(0, queryStart);
        if (authority.endsWith("/")) {
            authority = authority.substring(0, authority.length() - 1);
        }
        if (authority.contains("/") || authority.contains("#") || authority.contains("@")) {
            throw new IllegalArgumentException("connection URL '" + url + "' is malformed: expected"
                    + " tmq://host:port or tmq://host1:port1,host2:port2, then ?option=value&...");
        }
        try {
            List<String> addresses = BrokerAddresses.parse(authority);
            Map<String, String> q = query(url, queryStart < 0 ? null : rest.substring(queryStart + 1));
            ReconnectOptions d = ReconnectOptions.DEFAULTS;
            ReconnectOptions reconnect = new ReconnectOptions(booleanOption(q, "reconnect", d.enabled()),
                    longOption(q, "reconnectTimeout", d.timeoutMillis()),
                    longOption(q, "reconnectDelay", d.delayMillis()),
                    decimalOption(q, "reconnectBackoff", d.backoff()),
                    longOption(q, "reconnectMaxDelay", d.maxDelayMillis()),
                    booleanOption(q, "randomize", d.randomize()));
            TlsOptions tls = secure ? new TlsOptions(q.get("trustStore"), q.get("trustStorePassword"),
                    q.get("trustStoreType"), q.get("keyStore"), q.get("keyStorePassword"), q.get("keyStoreType"),
                    booleanOption(q, "verifyHost", true)) : null;
            if (!secure) {
                q.keySet().stream().filter(TLS_OPTIONS::contains).findFirst().ifPresent(key -> {
                    throw new IllegalArgumentException("option " + key + " needs TLS: use " + TLS_SCHEME + "://");
                });
            }
            return new ConnectionOptions(addresses, q.get("clientID"), q.get("user"), q.get("password"),
                    intOption(q, "prefetch", 300), longOption(q, "connectTimeout", 10_000),
                    longOption(q, "requestTimeout", 30_000), longOption(q, "sendTimeout", 30_000),
                    intOption(q, "heartbeat", Protocol.DEFAULT_HEARTBEAT_MILLIS), longOption(q, "lockDuration", 0),
                    intOption(q, "maxFrameSize", Protocol.DEFAULT_MAX_FRAME_SIZE),
                    longOption(q, "prefetchBytes", 1L << 20), longOption(q, "maxLockRenewal", 300_000),
                    q.get("serializablePackages"), reconnect, tls);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("connection URL '" + url + "': " + e.getMessage(), e);
        }
    }

    /** A copy with another administratively configured client ID. */
    public ConnectionOptions withClientId(String newClientId) {
        return new ConnectionOptions(addresses, newClientId, user, password, prefetch, connectTimeoutMillis,
                requestTimeoutMillis, sendTimeoutMillis, heartbeatMillis, lockDurationMillis, maxFrameSize,
                prefetchBytes, maxLockRenewalMillis, serializablePackages, reconnect, tls);
    }

    /** A copy with other credentials (the {@code createConnection(user, password)} case). */
    public ConnectionOptions withCredentials(String newUser, String newPassword) {
        return new ConnectionOptions(addresses, clientId, newUser, newPassword, prefetch, connectTimeoutMillis,
                requestTimeoutMillis, sendTimeoutMillis, heartbeatMillis, lockDurationMillis, maxFrameSize,
                prefetchBytes, maxLockRenewalMillis, serializablePackages, reconnect, tls);
    }

    /** The host of the first broker of the list (without the brackets of an IPv6 address). */
    public String host() {
        return BrokerAddresses.host(addresses.get(0));
    }

    /** The port of the first broker of the list. */
    public int port() {
        return BrokerAddresses.port(addresses.get(0));
    }

    /** The first broker of the list as {@code host:port}, for messages. */
    public String address() {
        return addresses.get(0);
    }

    @Override
    public String toString() {
        return "ConnectionOptions[" + (tls == null ? "tmq://" : "tmqs://") + String.join(",", addresses) + ", clientID=" + clientId + ", user=" + user
                + ", prefetch=" + prefetch + ", heartbeat=" + heartbeatMillis + ", reconnect="
                + (reconnect.enabled() ? reconnect.timeoutMillis() + " ms" : "off") + (tls == null ? "" : ", " + tls) + "]";
    }

    private static Map<String, String> query(String url, String rawQuery) {
        Map<String, String> q = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return q;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("connection URL '" + url + "' has unknown option '" + key
                        + "'; known options: " + new TreeSet<>(OPTIONS));
            }
            q.put(key, value);
        }
        return q;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static int intOption(Map<String, String> q, String key, int dflt) {
        long v = longOption(q, key, dflt);
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("option " + key + "=" + v + " is too large");
        }
        return (int) v;
    }

    private static boolean booleanOption(Map<String, String> q, String key, boolean dflt) {
        String v = q.get(key);
        if (v == null) {
            return dflt;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("option " + key + "='" + v + "' must be true or false");
        };
    }

    private static double decimalOption(Map<String, String> q, String key, double dflt) {
        String v = q.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + "='" + v + "' is not a decimal number");
        }
    }

    private static long longOption(Map<String, String> q, String key, long dflt) {
        String v = q.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + "='" + v + "' is not a whole number");
        }
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
