package io.tunnelmq.jms;

import io.tunnelmq.protocol.Protocol;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of a TunnelMQ connection, parsed from a URL of the form
 * {@code tmq://host:port?option=value&...}. Every option has a default that serves a laptop.
 *
 * <table>
 *   <caption>URL options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>clientID</td><td>none</td><td>JMS client ID, fixed administratively (the application cannot change it)</td></tr>
 *   <tr><td>user, password</td><td>none</td><td>credentials used when the application passes none</td></tr>
 *   <tr><td>prefetch</td><td>100</td><td>messages the broker may deliver to a consumer ahead of the application; 0 pulls one per receive</td></tr>
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
 * </table>
 *
 * @param host                 broker host name or address
 * @param port                 broker port
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
 */
// Serializable so factories can be bound by value in any JNDI tree; deserialisation runs the validating constructor.
public record ConnectionOptions(String host, int port, String clientId, String user, String password, int prefetch,
                                long connectTimeoutMillis, long requestTimeoutMillis, long sendTimeoutMillis,
                                int heartbeatMillis, long lockDurationMillis, int maxFrameSize, long prefetchBytes,
                                long maxLockRenewalMillis, String serializablePackages) implements Serializable {

    /** The URL used when none is configured. */
    public static final String DEFAULT_URL = "tmq://localhost:" + Protocol.DEFAULT_PORT;

    private static final Set<String> OPTIONS = Set.of("clientID", "user", "password", "prefetch", "connectTimeout",
            "requestTimeout", "sendTimeout", "heartbeat", "lockDuration", "maxFrameSize", "prefetchBytes",
            "maxLockRenewal", "serializablePackages");

    public ConnectionOptions {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("the broker host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 1..65535");
        }
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
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("connection URL '" + url + "' is malformed: " + e.getMessage(), e);
        }
        if (!Protocol.SCHEME.equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("connection URL '" + url + "' must start with " + Protocol.SCHEME
                    + "://, for example " + DEFAULT_URL);
        }
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("connection URL '" + url + "' names no host; expected tmq://host:port");
        }
        int port = uri.getPort() == -1 ? Protocol.DEFAULT_PORT : uri.getPort();
        Map<String, String> q = query(url, uri.getRawQuery());
        try {
            return new ConnectionOptions(host, port, q.get("clientID"), q.get("user"), q.get("password"),
                    intOption(q, "prefetch", 100), longOption(q, "connectTimeout", 10_000),
                    longOption(q, "requestTimeout", 30_000), longOption(q, "sendTimeout", 30_000),
                    intOption(q, "heartbeat", Protocol.DEFAULT_HEARTBEAT_MILLIS), longOption(q, "lockDuration", 0),
                    intOption(q, "maxFrameSize", Protocol.DEFAULT_MAX_FRAME_SIZE),
                    longOption(q, "prefetchBytes", 1L << 20), longOption(q, "maxLockRenewal", 300_000),
                    q.get("serializablePackages"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("connection URL '" + url + "': " + e.getMessage(), e);
        }
    }

    /** A copy with another administratively configured client ID. */
    public ConnectionOptions withClientId(String newClientId) {
        return new ConnectionOptions(host, port, newClientId, user, password, prefetch, connectTimeoutMillis,
                requestTimeoutMillis, sendTimeoutMillis, heartbeatMillis, lockDurationMillis, maxFrameSize,
                prefetchBytes, maxLockRenewalMillis, serializablePackages);
    }

    /** A copy with other credentials (the {@code createConnection(user, password)} case). */
    public ConnectionOptions withCredentials(String newUser, String newPassword) {
        return new ConnectionOptions(host, port, clientId, newUser, newPassword, prefetch, connectTimeoutMillis,
                requestTimeoutMillis, sendTimeoutMillis, heartbeatMillis, lockDurationMillis, maxFrameSize,
                prefetchBytes, maxLockRenewalMillis, serializablePackages);
    }

    /** The broker address as {@code host:port}, for messages. */
    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "ConnectionOptions[tmq://" + address() + ", clientID=" + clientId + ", user=" + user
                + ", prefetch=" + prefetch + ", heartbeat=" + heartbeatMillis + "]";
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
