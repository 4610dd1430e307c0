package io.tunnelmq.spring.boot;

import io.tunnelmq.jms.ConnectionOptions;
import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.pool.PooledConnectionFactory;
import jakarta.jms.ConnectionFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Makes the application's ConnectionFactory from {@link TunnelMQProperties}: the URL with {@code tunnelmq.options.*}
 * added, the credentials and client ID, and the pool around it unless {@code tunnelmq.pool.enabled=false}.
 */
final class ConnectionFactoryBuilder {
    private final TunnelMQProperties properties;

    ConnectionFactoryBuilder(TunnelMQProperties properties) {
        this.properties = properties;
    }

    /**
     * @param fallbackUrl the URL when {@code tunnelmq.url} is not set: the embedded broker's, or the default
     */
    ConnectionFactory build(String fallbackUrl) {
        TunnelConnectionFactory connections = new TunnelConnectionFactory(options(fallbackUrl));
        TunnelMQProperties.Pool settings = properties.getPool();
        if (!settings.isEnabled()) {
            return connections;
        }
        PooledConnectionFactory pool = new PooledConnectionFactory(connections);
        pool.setMaxConnections(settings.getMaxConnections());
        pool.setMaxSessionsPerConnection(settings.getMaxSessionsPerConnection());
        pool.setBlockIfExhausted(settings.isBlockIfExhausted());
        pool.setMaxWaitMillis(settings.getMaxWait().toMillis());
        pool.setTimeBetweenEvictionRunsMillis(settings.getTimeBetweenEvictionRuns().toMillis());
        pool.setMinIdleTimeMillis(settings.getMinIdleTime().toMillis());
        pool.setPoolConsumers(settings.isPoolConsumers());
        return pool;
    }

    /**
     * The connection options. Credentials and client ID are set on the parsed options rather than written into the
     * URL, so that a password never shows up in a URL-parsing error message.
     */
    ConnectionOptions options(String fallbackUrl) {
        String url = properties.getUrl() == null || properties.getUrl().isBlank() ? fallbackUrl : properties.getUrl();
        ConnectionOptions options = ConnectionOptions.parse(withOptions(url.trim(), properties.getOptions()));
        if (properties.getUser() != null || properties.getPassword() != null) {
            options = options.withCredentials(properties.getUser(), properties.getPassword());
        }
        if (properties.getClientId() != null) {
            options = options.withClientId(properties.getClientId());
        }
        return options;
    }

    /** The URL with the options appended; a later option wins over an earlier one of the same name. */
    static String withOptions(String url, Map<String, String> options) {
        if (options.isEmpty()) {
            return url;
        }
        StringJoiner query = new StringJoiner("&");
        options.forEach((key, value) -> query.add(encode(key) + "=" + encode(value == null ? "" : value)));
        String separator = url.indexOf('?') < 0 ? "?" : url.endsWith("?") || url.endsWith("&") ? "" : "&";
        return url + separator + query;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
