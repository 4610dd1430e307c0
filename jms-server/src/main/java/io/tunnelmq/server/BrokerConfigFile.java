package io.tunnelmq.server;

import io.tunnelmq.server.queue.RedeliveryPolicy;
import io.tunnelmq.server.security.PeerLimits;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads {@code broker.properties}. Keys: {@code host}, {@code port}, {@code http.port} (0 = off), {@code data}, {@code receiveBufferBytes},
 * {@code memoryLimitBytes}, {@code maxFrameSize}, {@code maxHeartbeatMillis}, {@code lockDuration} (ms),
 * {@code maxDeliveryCount}, {@code redeliveryDelay} (ms), {@code redeliveryMultiplier}, {@code maxRedeliveryDelay}
 * (ms), {@code queueMaxBytes} (memory every queue may hold, 0 = the memory limit), {@code consumerLagBytes} (what a queue
 * with consumers may hold, 0 = its limit), {@code store} ({@code journal} or
 * {@code memory}), {@code duplicateWindow} (ms a producer is remembered after its last stored send, to recognise
 * resent persistent sends), {@code duplicateWindowProducers} (the most producers remembered), {@code peers} (other
 * brokers named to clients for failover: {@code host:port} entries separated by commas), {@code maxConnections},
 * {@code maxConnectionsPerAddress}, {@code handshakeTimeout} (ms from connect to login), {@code loginFailureDelay}
 * and {@code maxLoginFailureDelay} (ms; see {@link PeerLimits}), {@code loginCache} (ms a passed password check
 * is remembered; 0 = none), {@code largeFrameMemory} (bytes; 0 = a quarter of
 * the direct memory), {@code maxSessionsPerConnection}, {@code maxConsumersPerConnection} and
 * {@code maxTemporariesPerConnection}, {@code paging}
 * ({@code true}/{@code false}) and {@code maxDiskBytes} (0 = 90 % of the free
 * space; see {@link PagingSettings}), {@code permissions} (the permissions file), {@code store=postgresql} with
 * {@code postgresql.url}, {@code postgresql.user}, {@code postgresql.password}, {@code postgresql.poolSize},
 * {@code postgresql.heartbeatMillis} and {@code postgresql.staleMillis} (see
 * {@link io.tunnelmq.server.store.postgres.PostgresSettings}), the
 * {@code tls.*} keys of {@link TlsConfig}, and per
 * queue or
 * topic
 * {@code queue.<name>.<setting>} for lockDuration, maxDeliveryCount, redeliveryDelay, redeliveryMultiplier,
 * maxRedeliveryDelay and maxBytes (names may contain dots). Unknown keys are errors, so a typo never
 * goes unnoticed.
 */
final class BrokerConfigFile {
    private static final String QUEUE_PREFIX = "queue.";

    private BrokerConfigFile() {
    }

    /**
     * Applies the file's settings on top of {@code base}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong in it
     */
    static BrokerConfig apply(BrokerConfig base, Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + describe(e), e);
        }
        Map<String, String> entries = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            entries.put(key, properties.getProperty(key).trim());
        }
        BrokerConfig config = base;
        TlsConfig tls = new TlsConfig(base.tls());
        try {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                if (!e.getKey().startsWith(TlsConfig.PREFIX) || !tls.set(e.getKey(), e.getValue(), e.getKey())) {
                    config = applyOne(config, e.getKey(), e.getValue());
                }
            }
            config = tls.applyTo(config);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config file " + file + ": " + e.getMessage(), e);
        }
        return config;
    }

    private static BrokerConfig applyOne(BrokerConfig config, String key, String value) {
        switch (key) {
            case "host":
                return config.withHost(value);
            case "port":
                return config.withPort((int) number(key, value, 0, 65535));
            case "data":
                return config.withDataDir(Path.of(value));
            case "http.port":
                return config.withHttpPort((int) number(key, value, 0, 65535));
            case "receiveBufferBytes":
                return config.withReceiveBufferBytes(number(key, value, 1, Long.MAX_VALUE));
            case "memoryLimitBytes":
                return config.withMemoryLimitBytes(number(key, value, 1, Long.MAX_VALUE));
            case "maxFrameSize":
                return config.withMaxFrameSize((int) number(key, value, BrokerConfig.MIN_FRAME_SIZE,
                        Integer.MAX_VALUE));
            case "maxHeartbeatMillis":
                return config.withMaxHeartbeatMillis((int) number(key, value, 0, Integer.MAX_VALUE));
            case "lockDuration":
                return config.withLockDurationMillis(number(key, value, 1, Long.MAX_VALUE));
            case "maxDeliveryCount":
                return config.withMaxDeliveryCount((int) number(key, value, 1, Integer.MAX_VALUE));
            case "redeliveryDelay": {
                RedeliveryPolicy p = config.redelivery();
                return config.withRedelivery(new RedeliveryPolicy(number(key, value, 0, Long.MAX_VALUE),
                        p.multiplier(), p.maxDelayMillis()));
            }
            case "redeliveryMultiplier": {
                RedeliveryPolicy p = config.redelivery();
                return config.withRedelivery(new RedeliveryPolicy(p.delayMillis(), multiplier(key, value),
                        p.maxDelayMillis()));
            }
            case "maxRedeliveryDelay": {
                RedeliveryPolicy p = config.redelivery();
                return config.withRedelivery(new RedeliveryPolicy(p.delayMillis(), p.multiplier(),
                        number(key, value, 0, Long.MAX_VALUE)));
            }
            case "queueMaxBytes":
                return config.withQueueMaxBytes(number(key, value, 0, Long.MAX_VALUE));
            case "consumerLagBytes":
                return config.withConsumerLagBytes(number(key, value, 0, Long.MAX_VALUE));
            case "expiryQueue":
                return config.withExpiryQueue(value);
            case "duplicateWindow":
                return config.withDuplicateWindow(number(key, value, 1, Long.MAX_VALUE),
                        config.duplicateWindow().maxProducers());
            case "duplicateWindowProducers":
                return config.withDuplicateWindow(config.duplicateWindow().windowMillis(),
                        (int) number(key, value, 1, Integer.MAX_VALUE));
            case "peers":
                return config.withPeers(value.isEmpty() ? List.of() : peers(value));
            case "maxConnections":
                return config.withPeerLimits(config.peerLimits().withMaxConnections(
                        (int) number(key, value, 1, Integer.MAX_VALUE)));
            case "maxConnectionsPerAddress":
                return config.withPeerLimits(config.peerLimits().withMaxConnectionsPerAddress(
                        (int) number(key, value, 1, Integer.MAX_VALUE)));
            case "handshakeTimeout":
                return config.withPeerLimits(config.peerLimits().withHandshakeTimeoutMillis(
                        number(key, value, 1, Long.MAX_VALUE)));
            case "loginFailureDelay": {
                PeerLimits l = config.peerLimits();
                long first = number(key, value, 0, Long.MAX_VALUE);
                return config.withPeerLimits(l.withLoginFailureDelay(first,
                        Math.max(first, l.maxLoginFailureDelayMillis())));
            }
            case "maxLoginFailureDelay": {
                PeerLimits l = config.peerLimits();
                return config.withPeerLimits(l.withLoginFailureDelay(l.loginFailureDelayMillis(),
                        number(key, value, l.loginFailureDelayMillis(), Long.MAX_VALUE)));
            }
            case "loginCache":
                return config.withPeerLimits(config.peerLimits().withLoginCacheMillis(
                        number(key, value, 0, Long.MAX_VALUE)));
            case "maxSessionsPerConnection":
                return config.withPeerLimits(config.peerLimits().withPerConnection(
                        (int) number(key, value, 1, Integer.MAX_VALUE), config.peerLimits().maxConsumersPerConnection()));
            case "maxConsumersPerConnection":
                return config.withPeerLimits(config.peerLimits().withPerConnection(
                        config.peerLimits().maxSessionsPerConnection(), (int) number(key, value, 1, Integer.MAX_VALUE)));
            case "maxTemporariesPerConnection":
                return config.withPeerLimits(config.peerLimits().withMaxTemporariesPerConnection(
                        (int) number(key, value, 1, Integer.MAX_VALUE)));
            case "largeFrameMemory":
                return config.withPeerLimits(config.peerLimits().withLargeFrameMemory(
                        number(key, value, 0, Long.MAX_VALUE)));
            case "paging":
                return switch (value) {
                    case "true" -> config.withPaging(new PagingSettings(true, config.paging().maxDiskBytes()));
                    case "false" -> config.withPaging(new PagingSettings(false, config.paging().maxDiskBytes()));
                    default -> throw new IllegalArgumentException("paging='" + value + "' must be true (queues keep"
                            + " backlogs past the memory limits on disk) or false (the memory limits hold producers"
                            + " back)");
                };
            case "maxDiskBytes":
                return config.withPaging(new PagingSettings(config.paging().enabled(),
                        number(key, value, 0, Long.MAX_VALUE)));
            case "permissions":
                return config.withPermissionsFile(value.isEmpty() ? null : Path.of(value));
            case "store":
                return switch (value) {
                    case "journal" -> config.withStore(BrokerConfig.StoreKind.JOURNAL);
                    case "memory" -> config.withStore(BrokerConfig.StoreKind.MEMORY);
                    case "postgresql" -> config.withStore(BrokerConfig.StoreKind.POSTGRESQL);
                    default -> throw new IllegalArgumentException("store='" + value + "' must be journal (persistent"
                            + " messages kept in the data directory) or memory (nothing survives a restart), or"
                            + " postgresql (persistent messages kept in the database postgresql.url names)");
                };
            case "postgresql.url":
                return config.withPostgresql(config.postgresql().withUrl(value.isEmpty() ? null : value));
            case "postgresql.user":
                return config.withPostgresql(config.postgresql().withUser(value.isEmpty() ? null : value));
            case "postgresql.password":
                return config.withPostgresql(config.postgresql().withPassword(value));
            case "postgresql.poolSize":
                return config.withPostgresql(config.postgresql().withPoolSize((int) number(key, value, 2, 1000)));
            case "postgresql.heartbeatMillis":
                return config.withPostgresql(config.postgresql().withHeartbeatMillis(
                        number(key, value, 10, Integer.MAX_VALUE)));
            case "postgresql.staleMillis":
                return config.withPostgresql(config.postgresql().withStaleMillis(
                        number(key, value, 20, Integer.MAX_VALUE)));
            default:
                return applyQueueKey(config, key, value);
        }
    }

    private static BrokerConfig applyQueueKey(BrokerConfig config, String key, String value) {
        int lastDot = key.lastIndexOf('.');
        if (!key.startsWith(QUEUE_PREFIX) || lastDot <= QUEUE_PREFIX.length()) {
            throw unknownKey(key);
        }
        String queue = key.substring(QUEUE_PREFIX.length(), lastDot);
        String setting = key.substring(lastDot + 1);
        if (setting.equals("maxBytes")) {
            return config.withQueueMaxBytes(queue, number(key, value, 1, Long.MAX_VALUE));
        }
        BrokerConfig.QueueOverride c = config.queueOverrides()
                .getOrDefault(queue, new BrokerConfig.QueueOverride(0, 0));
        BrokerConfig.QueueOverride changed = switch (setting) {
            case "lockDuration" -> new BrokerConfig.QueueOverride(number(key, value, 1, Long.MAX_VALUE),
                    c.maxDeliveryCount(), c.redeliveryDelayMillis(), c.redeliveryMultiplier(),
                    c.maxRedeliveryDelayMillis());
            case "maxDeliveryCount" -> new BrokerConfig.QueueOverride(c.lockDurationMillis(),
                    (int) number(key, value, 1, Integer.MAX_VALUE), c.redeliveryDelayMillis(),
                    c.redeliveryMultiplier(), c.maxRedeliveryDelayMillis());
            case "redeliveryDelay" -> new BrokerConfig.QueueOverride(c.lockDurationMillis(), c.maxDeliveryCount(),
                    number(key, value, 0, Long.MAX_VALUE), c.redeliveryMultiplier(), c.maxRedeliveryDelayMillis());
            case "redeliveryMultiplier" -> new BrokerConfig.QueueOverride(c.lockDurationMillis(),
                    c.maxDeliveryCount(), c.redeliveryDelayMillis(), multiplier(key, value),
                    c.maxRedeliveryDelayMillis());
            case "maxRedeliveryDelay" -> new BrokerConfig.QueueOverride(c.lockDurationMillis(), c.maxDeliveryCount(),
                    c.redeliveryDelayMillis(), c.redeliveryMultiplier(), number(key, value, 0, Long.MAX_VALUE));
            default -> throw unknownKey(key);
        };
        return config.withQueueOverride(queue, changed);
    }

    private static long number(String key, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "='" + value + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(key + "=" + n + " is out of range " + min + ".."
                    + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "" : max));
        }
        return n;
    }

    private static List<String> peers(String value) {
        try {
            return PeerAddress.parseList(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("peers='" + value + "': " + e.getMessage());
        }
    }

    private static double multiplier(String key, String value) {
        double d;
        try {
            d = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "='" + value + "' is not a number");
        }
        if (!(d >= 1.0) || Double.isInfinite(d)) {
            throw new IllegalArgumentException(key + "=" + value + " must be a number >= 1.0 (1.0 = a fixed delay)");
        }
        return d;
    }

    private static IllegalArgumentException unknownKey(String key) {
        return new IllegalArgumentException("unknown key '" + key + "'; known keys: host, port, http.port, data,"
                + " receiveBufferBytes, memoryLimitBytes, maxFrameSize, maxHeartbeatMillis, lockDuration,"
                + " maxDeliveryCount, redeliveryDelay, redeliveryMultiplier, maxRedeliveryDelay, queueMaxBytes,"
                + " consumerLagBytes, expiryQueue, store, duplicateWindow, duplicateWindowProducers, peers,"
                + " maxConnections, maxConnectionsPerAddress, handshakeTimeout, loginFailureDelay,"
                + " maxLoginFailureDelay, loginCache, largeFrameMemory,"
                + " maxSessionsPerConnection, maxConsumersPerConnection, maxTemporariesPerConnection,"
                + " paging, maxDiskBytes,"
                + " postgresql.url, postgresql.user, postgresql.password, postgresql.poolSize,"
                + " postgresql.heartbeatMillis, postgresql.staleMillis,"
                + " tls.port, tls.keystore, tls.keystorePassword, tls.clientAuth, tls.truststore, tls.truststorePassword,"
                + " tls.certificateUsers, tls.only, and"
                + " queue.<name>.<setting> for lockDuration, maxDeliveryCount, redeliveryDelay,"
                + " redeliveryMultiplier, maxRedeliveryDelay, maxBytes");
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
