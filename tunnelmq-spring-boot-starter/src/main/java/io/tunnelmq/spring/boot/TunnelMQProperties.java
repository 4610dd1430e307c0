package io.tunnelmq.spring.boot;

import io.tunnelmq.jms.ConnectionOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code tunnelmq.*} properties of a Spring Boot application: where the ConnectionFactory connects, its pool,
 * and the embedded broker.
 *
 * <pre>
 * tunnelmq.url=tmq://broker:9494
 * tunnelmq.user=app
 * tunnelmq.password=secret
 * tunnelmq.options.prefetch=10
 * tunnelmq.pool.max-connections=4
 * </pre>
 */
@ConfigurationProperties("tunnelmq")
public class TunnelMQProperties {
    /**
     * Connection URL, tmq://host:port[,host2:port2][?option=value&...] (options as in ConnectionOptions). Default
     * tmq://localhost:9494, or the embedded broker when tunnelmq.embedded.enabled=true.
     */
    private String url;
    /** User name of connections created without credentials. */
    private String user;
    /** Password of connections created without credentials. */
    private String password;
    /**
     * JMS client ID fixed for every connection of the factory. The broker lets one connection at a time use a client
     * ID, so with the pool (or several listener containers) prefer setting it where it is needed, e.g.
     * DefaultJmsListenerContainerFactory#setClientId: a pooled connection then gets a physical one of its own.
     */
    private String clientId;
    /**
     * More connection URL options, added to the URL (and winning over the same option there), e.g.
     * tunnelmq.options.prefetch=10 or tunnelmq.options.serializablePackages=com.example. Option names are
     * case-sensitive: environment variables lower-case them, so put camel-case options in tunnelmq.url there.
     */
    private Map<String, String> options = new LinkedHashMap<>();
    private final Pool pool = new Pool();
    private final Embedded embedded = new Embedded();

    /** The URL the ConnectionFactory uses when {@code tunnelmq.url} is not set. */
    static final String DEFAULT_URL = ConnectionOptions.DEFAULT_URL;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public Map<String, String> getOptions() {
        return options;
    }

    public void setOptions(Map<String, String> options) {
        this.options = options;
    }

    public Pool getPool() {
        return pool;
    }

    public Embedded getEmbedded() {
        return embedded;
    }

    /** {@code tunnelmq.pool.*}: the io.tunnelmq.jms.pool.PooledConnectionFactory's settings. */
    public static class Pool {
        /**
         * Whether to pool connections, sessions and producers. False gives a plain TunnelConnectionFactory, on which
         * JmsTemplate opens a connection per operation.
         */
        private boolean enabled = true;
        /** Physical connections the pool opens at most. */
        private int maxConnections = 8;
        /** Sessions a pooled connection has at most, lent or idle. */
        private int maxSessionsPerConnection = 100;
        /** Whether a borrower waits (up to max-wait) when a limit is reached, or fails at once. */
        private boolean blockIfExhausted = true;
        /** How long a borrower waits when a limit is reached; negative waits without limit. */
        private Duration maxWait = Duration.ofSeconds(30);
        /** How often idle connections are looked at; zero or negative turns idle eviction off. */
        private Duration timeBetweenEvictionRuns = Duration.ofSeconds(30);
        /** How long a connection must have been idle before eviction closes it. */
        private Duration minIdleTime = Duration.ofSeconds(60);
        /** Whether closed consumers are kept for the next borrower asking for the same destination and selector. */
        private boolean poolConsumers;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getMaxConnections() {
            return maxConnections;
        }

        public void setMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
        }

        public int getMaxSessionsPerConnection() {
            return maxSessionsPerConnection;
        }

        public void setMaxSessionsPerConnection(int maxSessionsPerConnection) {
            this.maxSessionsPerConnection = maxSessionsPerConnection;
        }

        public boolean isBlockIfExhausted() {
            return blockIfExhausted;
        }

        public void setBlockIfExhausted(boolean blockIfExhausted) {
            this.blockIfExhausted = blockIfExhausted;
        }

        public Duration getMaxWait() {
            return maxWait;
        }

        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }

        public Duration getTimeBetweenEvictionRuns() {
            return timeBetweenEvictionRuns;
        }

        public void setTimeBetweenEvictionRuns(Duration timeBetweenEvictionRuns) {
            this.timeBetweenEvictionRuns = timeBetweenEvictionRuns;
        }

        public Duration getMinIdleTime() {
            return minIdleTime;
        }

        public void setMinIdleTime(Duration minIdleTime) {
            this.minIdleTime = minIdleTime;
        }

        public boolean isPoolConsumers() {
            return poolConsumers;
        }

        public void setPoolConsumers(boolean poolConsumers) {
            this.poolConsumers = poolConsumers;
        }
    }

    /** {@code tunnelmq.embedded.*}: a broker inside the application (needs io.tunnelmq:jms-server). */
    public static class Embedded {
        /** Whether to start a broker inside the application; the ConnectionFactory then connects to it. */
        private boolean enabled;
        /** Address the embedded broker listens on. */
        private String host = "127.0.0.1";
        /** Port the embedded broker listens on; 0 picks a free one. */
        private int port;
        /** Whether persistent messages are kept in a journal in data-dir (surviving a restart) or in memory. */
        private boolean persistent;
        /** Directory of the journal when persistent=true. */
        private Path dataDir = Path.of("tunnelmq-data");

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public boolean isPersistent() {
            return persistent;
        }

        public void setPersistent(boolean persistent) {
            this.persistent = persistent;
        }

        public Path getDataDir() {
            return dataDir;
        }

        public void setDataDir(Path dataDir) {
            this.dataDir = dataDir;
        }
    }
}
