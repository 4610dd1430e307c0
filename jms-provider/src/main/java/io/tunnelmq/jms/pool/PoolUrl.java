package io.tunnelmq.jms.pool;

import io.tunnelmq.jms.TunnelConnectionFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pool's options in a connection URL ({@code tmq://host:port?pool=true&pool.maxConnections=4&prefetch=10}):
 * {@code pool} and the {@code pool.*} keys configure the pool, every other option goes to the connections.
 */
final class PoolUrl {
    static final String ENABLE = "pool";
    static final String PREFIX = "pool.";
    private static final Set<String> OPTIONS = Set.of("maxConnections", "maxSessionsPerConnection",
            "blockIfExhausted", "maxWait", "timeBetweenEvictionRuns", "minIdleTime", "poolConsumers");

    private final String connectionUrl;
    private final Map<String, String> poolOptions;
    private final String enabled;

    private PoolUrl(String connectionUrl, Map<String, String> poolOptions, String enabled) {
        this.connectionUrl = connectionUrl;
        this.poolOptions = poolOptions;
        this.enabled = enabled;
    }

    static PoolUrl parse(String url) {
        if (url == null) {
            throw new IllegalArgumentException("the connection URL is empty");
        }
        String trimmed = url.trim();
        int q = trimmed.indexOf('?');
        if (q < 0) {
            return new PoolUrl(trimmed, Map.of(), null);
        }
        List<String> kept = new ArrayList<>();
        Map<String, String> pool = new LinkedHashMap<>();
        String enabled = null;
        for (String pair : trimmed.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1)).trim();
            if (key.equals(ENABLE)) {
                enabled = value;
            } else if (key.startsWith(PREFIX)) {
                String option = key.substring(PREFIX.length());
                if (!OPTIONS.contains(option)) {
                    throw new IllegalArgumentException("connection URL '" + url + "' has unknown pool option '"
                            + key + "'; known pool options: pool.*" + new TreeSet<>(OPTIONS));
                }
                pool.put(option, value);
            } else if (!pair.isEmpty()) {
                kept.add(pair);
            }
        }
        String base = trimmed.substring(0, q);
        return new PoolUrl(kept.isEmpty() ? base : base + "?" + String.join("&", kept), pool, enabled);
    }

    /** True if the URL says {@code pool=true}. */
    boolean pooled() {
        if (enabled == null || enabled.equalsIgnoreCase("false")) {
            return false;
        }
        if (enabled.isEmpty() || enabled.equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException("option pool='" + enabled + "' must be true or false");
    }

    /** The URL without the pool's options, for the connections. */
    String connectionUrl() {
        return connectionUrl;
    }

    PooledConnectionFactory factory() {
        if (enabled != null && !pooled()) {
            throw new IllegalArgumentException("connection URL '" + connectionUrl + "' says pool=false; use a"
                    + " TunnelConnectionFactory for unpooled connections");
        }
        PooledConnectionFactory factory = new PooledConnectionFactory(new TunnelConnectionFactory(connectionUrl));
        for (Map.Entry<String, String> e : poolOptions.entrySet()) {
            apply(factory, e.getKey(), e.getValue());
        }
        return factory;
    }

    /** Refuses pool.* options in a URL that does not enable the pool, instead of ignoring them. */
    void requireNoPoolOptions() {
        if (!poolOptions.isEmpty()) {
            throw new IllegalArgumentException("connection URL '" + connectionUrl + "' sets pool options "
                    + poolOptions.keySet() + " but not pool=true");
        }
    }

    private static void apply(PooledConnectionFactory factory, String option, String value) {
        switch (option) {
            case "maxConnections" -> factory.setMaxConnections((int) number(option, value));
            case "maxSessionsPerConnection" -> factory.setMaxSessionsPerConnection((int) number(option, value));
            case "blockIfExhausted" -> factory.setBlockIfExhausted(bool(option, value));
            case "maxWait" -> factory.setMaxWaitMillis(number(option, value));
            case "timeBetweenEvictionRuns" -> factory.setTimeBetweenEvictionRunsMillis(number(option, value));
            case "minIdleTime" -> factory.setMinIdleTimeMillis(number(option, value));
            case "poolConsumers" -> factory.setPoolConsumers(bool(option, value));
            default -> throw new IllegalArgumentException("unknown pool option pool." + option);
        }
    }

    private static long number(String option, String value) {
        try {
            long n = Long.parseLong(value);
            if (n > Integer.MAX_VALUE && option.startsWith("max") && !option.equals("maxWait")) {
                throw new IllegalArgumentException("option pool." + option + "=" + value + " is too large");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option pool." + option + "='" + value + "' is not a whole number");
        }
    }

    private static boolean bool(String option, String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("option pool." + option + "='" + value + "' must be true or false");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
