package io.tunnelmq.server;

import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.server.destination.DuplicateWindow;
import io.tunnelmq.server.net.TlsSettings;
import io.tunnelmq.server.queue.QueueSettings;
import io.tunnelmq.server.queue.RedeliveryPolicy;
import io.tunnelmq.server.security.PeerLimits;
import io.tunnelmq.server.store.postgres.PostgresSettings;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The settings of a broker. Start from {@link #defaults()} and change what you need with the {@code with...}
 * methods; every value is checked when the record is made.
 *
 * @param host               address to listen on (default 127.0.0.1)
 * @param port               port to listen on, 0 for any free port (default 9494)
 * @param dataDir            data directory: where the journal keeps persistent messages when {@code store} is
 *                           {@link StoreKind#JOURNAL} (default ./data)
 * @param receiveBufferBytes each connection's receive buffer: the most bytes a client may have in flight
 *                           (default 4 MiB)
 * @param memoryLimitBytes   bytes of messages the broker holds before producers' windows close (default half the
 *                           JVM's max heap)
 * @param maxFrameSize       largest frame accepted or sent, header included (default 16 MiB)
 * @param maxHeartbeatMillis longest heartbeat interval agreed with a client, so that a dead client is noticed
 *                           within three of them; 0 turns heartbeats off (default 3 s)
 * @param lockDurationMillis how long a delivered message stays locked (default 60 s)
 * @param maxDeliveryCount   deliveries before a message is dead-lettered (default 10)
 * @param queueOverrides     per-queue (or per-topic) lock duration, max delivery count and redelivery delay
 * @param queueMemory        per-queue memory limits (default: each queue may use the whole memory limit, but a
 *                           queue with a consumer taking every message at most 8 MiB: the consumer lag limit)
 * @param redelivery         how long an abandoned or lock-expired message waits before it is delivered again:
 *                           {@code redeliveryDelay} (default 0 = at once) × {@code redeliveryMultiplier}
 *                           (default 2.0) per further failed delivery, at most {@code maxRedeliveryDelay} (default 60 s)
 * @param expiryQueue        the queue expired messages are moved to (e.g. {@code ExpiryQueue}); null (default) drops them
 * @param store              where persistent messages are kept: {@link StoreKind#MEMORY} (the default here, for
 *                           tests and embedding) or {@link StoreKind#JOURNAL} in {@code dataDir} (the standalone
 *                           broker's default)
 * @param duplicateWindow    how long (default 24 h since its last stored send) and how many producers (default
 *                           50,000) the broker remembers, so that a resent persistent send is stored once
 * @param peers              other brokers ({@code host:port} each, port 1..65535) the broker names to every client in
 *                           the handshake, so a client configured with this broker's address alone can fail over to
 *                           them (default none)
 * @param peerLimits         connection limits, the login deadline and the failed-login back-off that keep peers who
 *                           do not log in from exhausting the broker (default {@link PeerLimits#DEFAULTS})
 * @param httpPort           the HTTP port ({@code GET /metrics} in Prometheus text format), bound to {@code host}; 0
 *                           (the default here) = no HTTP port. The standalone broker opens
 *                           {@value #DEFAULT_HTTP_PORT} unless told otherwise
 * @param permissionsFile    who may do what with which destination ({@code role.NAME = users},
 *                           {@code queue.PATTERN.PERMISSION = roles}, ...; read again when it changes), or null
 *                           (default): every client that connected may use every destination
 * @param tls                the TLS port (key store, client certificates, whether the plain port stays open), or null
 *                           (the default) for none
 * @param paging             whether queues page to disk past the memory limits, and the disk limit (default: on, 90 %
 *                           of the data directory's free space; only a broker with the journal store pages)
 * @param postgresql         the database of {@link StoreKind#POSTGRESQL} (default: none named)
 */
public record BrokerConfig(String host, int port, Path dataDir, long receiveBufferBytes, long memoryLimitBytes,
                           int maxFrameSize, int maxHeartbeatMillis, long lockDurationMillis, int maxDeliveryCount,
                           Map<String, QueueOverride> queueOverrides, RedeliveryPolicy redelivery,
                           QueueMemoryLimits queueMemory, String expiryQueue, StoreKind store,
                           DuplicateWindow.Settings duplicateWindow, List<String> peers, PeerLimits peerLimits,
                           int httpPort, Path permissionsFile, TlsSettings tls, PagingSettings paging,
                           PostgresSettings postgresql) {

    /**
     * The standalone broker's HTTP port: next to the tunnel's 9494, and not ActiveMQ Artemis' 8161, which may run on
     * the same machine (the benchmarks run both).
     */
    public static final int DEFAULT_HTTP_PORT = 9495;

    /** Where a broker keeps persistent messages. */
    public enum StoreKind {
        /** In memory only: nothing survives a restart. */
        MEMORY,
        /** In the journal in the data directory: persistent messages survive a restart or a crash. */
        JOURNAL,
        /**
         * In a PostgreSQL database ({@link BrokerConfig#postgresql()}): persistent messages survive a restart or a
         * crash of the broker; the data directory keeps only the page file.
         */
        POSTGRESQL
    }

    /** Default receive buffer per connection. */
    public static final long DEFAULT_RECEIVE_BUFFER_BYTES = 4L * 1024 * 1024;
    /** Smallest max frame size the broker accepts as a setting. */
    public static final int MIN_FRAME_SIZE = 4096;

    /**
     * Settings of one queue (or topic) that differ from the broker's; 0 (or null) means "as the broker".
     *
     * @param lockDurationMillis       lock duration, or 0
     * @param maxDeliveryCount         max delivery count, or 0
     * @param redeliveryDelayMillis    first redelivery delay (0 = none), or null
     * @param redeliveryMultiplier     redelivery delay growth, or null
     * @param maxRedeliveryDelayMillis longest redelivery delay, or null
     */
    public record QueueOverride(long lockDurationMillis, int maxDeliveryCount, Long redeliveryDelayMillis,
                                Double redeliveryMultiplier, Long maxRedeliveryDelayMillis) {
        public QueueOverride {
            if (lockDurationMillis < 0 || maxDeliveryCount < 0) {
                throw new IllegalArgumentException("queue overrides must be >= 0 (0 = the broker's setting), were "
                        + "lockDuration " + lockDurationMillis + ", maxDeliveryCount " + maxDeliveryCount);
            }
            // checks the redelivery values the way the policy will
            new RedeliveryPolicy(redeliveryDelayMillis == null ? 0 : redeliveryDelayMillis,
                    redeliveryMultiplier == null ? 2.0 : redeliveryMultiplier,
                    maxRedeliveryDelayMillis == null ? 0 : maxRedeliveryDelayMillis);
        }

        /** An override of lock duration and max delivery count only. */
        public QueueOverride(long lockDurationMillis, int maxDeliveryCount) {
            this(lockDurationMillis, maxDeliveryCount, null, null, null);
        }

        /** The broker's redelivery policy with this queue's overrides applied. */
        RedeliveryPolicy redelivery(RedeliveryPolicy broker) {
            return new RedeliveryPolicy(redeliveryDelayMillis != null ? redeliveryDelayMillis : broker.delayMillis(),
                    redeliveryMultiplier != null ? redeliveryMultiplier : broker.multiplier(),
                    maxRedeliveryDelayMillis != null ? maxRedeliveryDelayMillis : broker.maxDelayMillis());
        }
    }

    public BrokerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0..65535");
        }
        Objects.requireNonNull(dataDir, "dataDir");
        requirePositive("receiveBufferBytes", receiveBufferBytes);
        requirePositive("memoryLimitBytes", memoryLimitBytes);
        if (maxFrameSize < MIN_FRAME_SIZE) {
            throw new IllegalArgumentException("maxFrameSize must be at least " + MIN_FRAME_SIZE + " bytes, was "
                    + maxFrameSize);
        }
        if (maxHeartbeatMillis < 0) {
            throw new IllegalArgumentException("maxHeartbeatMillis must be >= 0 (0 = off), was " + maxHeartbeatMillis);
        }
        requirePositive("lockDuration", lockDurationMillis);
        requirePositive("maxDeliveryCount", maxDeliveryCount);
        queueOverrides = Map.copyOf(queueOverrides == null ? Map.of() : queueOverrides);
        Objects.requireNonNull(redelivery, "redelivery");
        queueMemory = queueMemory == null ? QueueMemoryLimits.NONE : queueMemory;
        expiryQueue = expiryQueue == null || expiryQueue.isBlank() ? null : expiryQueue;
        store = store == null ? StoreKind.MEMORY : store;
        duplicateWindow = duplicateWindow == null ? DuplicateWindow.Settings.DEFAULTS : duplicateWindow;
        peers = peers == null ? List.of() : List.copyOf(peers);
        peers.forEach(PeerAddress::check);
        peerLimits = peerLimits == null ? PeerLimits.DEFAULTS : peerLimits;
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("HTTP port " + httpPort + " is out of range 0..65535 (0 = off)");
        }
        paging = paging == null ? PagingSettings.DEFAULTS : paging;
        postgresql = postgresql == null ? PostgresSettings.NONE : postgresql;
    }

    /** The defaults: 127.0.0.1:9494, ./data, 4 MiB receive buffers, half the heap for messages, 60 s locks. */
    public static BrokerConfig defaults() {
        return new BrokerConfig("127.0.0.1", Protocol.DEFAULT_PORT, Path.of("data"), DEFAULT_RECEIVE_BUFFER_BYTES,
                Runtime.getRuntime().maxMemory() / 2, Protocol.DEFAULT_MAX_FRAME_SIZE, Protocol.DEFAULT_HEARTBEAT_MILLIS,
                60_000, 10, Map.of(), RedeliveryPolicy.NONE, QueueMemoryLimits.NONE, null, StoreKind.MEMORY,
                DuplicateWindow.Settings.DEFAULTS, List.of(), PeerLimits.DEFAULTS, 0, null, null, PagingSettings.DEFAULTS,
                PostgresSettings.NONE);
    }

    /** The settings of a queue (or a topic's subscriptions): the broker's, with the queue's overrides applied. */
    public QueueSettings queueSettings(String queue) {
        QueueOverride override = queueOverrides.get(queue);
        if (override == null) {
            return new QueueSettings(lockDurationMillis, maxDeliveryCount, redelivery);
        }
        return new QueueSettings(override.lockDurationMillis() > 0 ? override.lockDurationMillis() : lockDurationMillis,
                override.maxDeliveryCount() > 0 ? override.maxDeliveryCount() : maxDeliveryCount,
                override.redelivery(redelivery));
    }

    public BrokerConfig withHost(String newHost) {
        return edit(b -> b.host = newHost);
    }

    public BrokerConfig withPort(int newPort) {
        return edit(b -> b.port = newPort);
    }

    /** A copy with the HTTP port ({@code /metrics}) on {@code newHttpPort}; 0 = no HTTP port. */
    public BrokerConfig withHttpPort(int newHttpPort) {
        return edit(b -> b.httpPort = newHttpPort);
    }

    public BrokerConfig withDataDir(Path newDataDir) {
        return edit(b -> b.dataDir = newDataDir);
    }

    public BrokerConfig withReceiveBufferBytes(long bytes) {
        return edit(b -> b.receiveBufferBytes = bytes);
    }

    public BrokerConfig withMemoryLimitBytes(long bytes) {
        return edit(b -> b.memoryLimitBytes = bytes);
    }

    public BrokerConfig withMaxFrameSize(int bytes) {
        return edit(b -> b.maxFrameSize = bytes);
    }

    public BrokerConfig withMaxHeartbeatMillis(int millis) {
        return edit(b -> b.maxHeartbeatMillis = millis);
    }

    public BrokerConfig withLockDurationMillis(long millis) {
        return edit(b -> b.lockDurationMillis = millis);
    }

    public BrokerConfig withMaxDeliveryCount(int count) {
        return edit(b -> b.maxDeliveryCount = count);
    }

    /** A copy with another redelivery delay policy for every queue without its own. */
    public BrokerConfig withRedelivery(RedeliveryPolicy policy) {
        return edit(b -> b.redelivery = policy);
    }

    /** A copy where one queue (or topic) has its own settings; 0 keeps the broker's for that value. */
    public BrokerConfig withQueueOverride(String queue, long queueLockDurationMillis, int queueMaxDeliveryCount) {
        QueueOverride current = queueOverrides.get(queue);
        return withQueueOverride(queue, current == null
                ? new QueueOverride(queueLockDurationMillis, queueMaxDeliveryCount)
                : new QueueOverride(queueLockDurationMillis, queueMaxDeliveryCount, current.redeliveryDelayMillis(),
                current.redeliveryMultiplier(), current.maxRedeliveryDelayMillis()));
    }

    /** A copy where one queue (or topic) has its own settings, replacing any it had. */
    public BrokerConfig withQueueOverride(String queue, QueueOverride override) {
        Objects.requireNonNull(override, "override");
        if (queue == null || queue.isEmpty()) {
            throw new IllegalArgumentException("queue name must not be empty");
        }
        Map<String, QueueOverride> overrides = new TreeMap<>(queueOverrides);
        overrides.put(queue, override);
        return edit(b -> b.queueOverrides = overrides);
    }

    /** The heap the messages of one queue (or topic subscription) may hold; 0 = {@link #memoryLimitBytes()}. */
    public long queueMaxBytes(String queue) {
        return queueMemory.of(queue);
    }

    /** A copy where every queue without its own limit may hold {@code bytes} (0 = the broker's memory limit). */
    public BrokerConfig withQueueMaxBytes(long bytes) {
        return edit(b -> b.queueMemory = queueMemory.withDefaultMaxBytes(bytes));
    }

    /**
     * A copy where a queue with a consumer that takes every message holds at most {@code bytes} (0 = no such
     * limit); see {@link QueueMemoryLimits#consumerLagBytes()}.
     */
    public BrokerConfig withConsumerLagBytes(long bytes) {
        return edit(b -> b.queueMemory = queueMemory.withConsumerLagBytes(bytes));
    }

    /** A copy where one queue (or topic) may hold at most {@code bytes} of messages. */
    public BrokerConfig withQueueMaxBytes(String queue, long bytes) {
        return edit(b -> b.queueMemory = queueMemory.withMaxBytes(queue, bytes));
    }

    /** A copy that moves expired messages to {@code queue} (null or blank: drop them). */
    public BrokerConfig withExpiryQueue(String queue) {
        return edit(b -> b.expiryQueue = queue);
    }

    /** A copy that keeps persistent messages as {@code kind} says. */
    public BrokerConfig withStore(StoreKind kind) {
        return edit(b -> b.store = kind);
    }

    /**
     * A copy whose broker remembers a producer for {@code windowMillis} after its last stored send, and at most
     * {@code maxProducers} producers, to recognise resent persistent sends.
     */
    public BrokerConfig withDuplicateWindow(long windowMillis, int maxProducers) {
        return edit(b -> b.duplicateWindow = new DuplicateWindow.Settings(windowMillis, maxProducers));
    }

    /** A copy that keeps persistent messages in a journal in {@code directory} (created if missing). */
    public BrokerConfig withJournal(Path directory) {
        return withDataDir(directory).withStore(StoreKind.JOURNAL);
    }

    /**
     * A copy that names these other brokers ({@code host:port} each) to clients in the handshake; none by default.
     *
     * @throws IllegalArgumentException for an entry that is not {@code host:port} with a port 1..65535
     */
    public BrokerConfig withPeers(List<String> hostsAndPorts) {
        return edit(b -> b.peers = hostsAndPorts);
    }

    /** A copy with other connection limits, login deadline or failed-login back-off. */
    public BrokerConfig withPeerLimits(PeerLimits limits) {
        return edit(b -> b.peerLimits = Objects.requireNonNull(limits, "limits"));
    }

    /** A copy whose permissions come from {@code file} (null: none, every client may use every destination). */
    public BrokerConfig withPermissionsFile(Path file) {
        return edit(b -> b.permissionsFile = file);
    }

    /** A copy with a TLS port as {@code settings} say; null = no TLS port. */
    public BrokerConfig withTls(TlsSettings settings) {
        return edit(b -> b.tls = settings);
    }

    /** A copy that pages (or not) with this disk limit. */
    public BrokerConfig withPaging(PagingSettings settings) {
        return edit(b -> b.paging = Objects.requireNonNull(settings, "settings"));
    }

    /** A copy whose {@link StoreKind#POSTGRESQL} store is the database {@code settings} name. */
    public BrokerConfig withPostgresql(PostgresSettings settings) {
        return edit(b -> b.postgresql = Objects.requireNonNull(settings, "settings"));
    }

    /** A copy that keeps persistent messages in the PostgreSQL database {@code settings} name. */
    public BrokerConfig withPostgresqlStore(PostgresSettings settings) {
        return withPostgresql(settings).withStore(StoreKind.POSTGRESQL);
    }

    private BrokerConfig edit(Consumer<BrokerConfigBuilder> change) {
        BrokerConfigBuilder b = new BrokerConfigBuilder(this);
        change.accept(b);
        return b.build();
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
