package io.tunnelmq.server;

import io.tunnelmq.server.destination.DuplicateWindow;
import io.tunnelmq.server.net.TlsSettings;
import io.tunnelmq.server.queue.RedeliveryPolicy;
import io.tunnelmq.server.security.PeerLimits;
import io.tunnelmq.server.store.postgres.PostgresSettings;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A mutable copy of every setting of a {@link BrokerConfig}, so that each of its {@code with...} methods changes one
 * field and {@link #build()} makes the new record, whose constructor checks every setting again. Apart from the record
 * because it is how a config is copied, not what a broker's settings are: it knows nothing of their meaning or their
 * rules, which stay in the record, and it keeps the record's long constructor call in one place instead of one copy
 * per {@code with...} method.
 */
final class BrokerConfigBuilder {
    String host;
    int port;
    Path dataDir;
    long receiveBufferBytes;
    long memoryLimitBytes;
    int maxFrameSize;
    int maxHeartbeatMillis;
    long lockDurationMillis;
    int maxDeliveryCount;
    Map<String, BrokerConfig.QueueOverride> queueOverrides;
    RedeliveryPolicy redelivery;
    QueueMemoryLimits queueMemory;
    String expiryQueue;
    BrokerConfig.StoreKind store;
    DuplicateWindow.Settings duplicateWindow;
    List<String> peers;
    PeerLimits peerLimits;
    int httpPort;
    Path permissionsFile;
    TlsSettings tls;
    PagingSettings paging;
    PostgresSettings postgresql;

    /** A copy of {@code c}'s settings. */
    BrokerConfigBuilder(BrokerConfig c) {
        host = c.host();
        port = c.port();
        dataDir = c.dataDir();
        receiveBufferBytes = c.receiveBufferBytes();
        memoryLimitBytes = c.memoryLimitBytes();
        maxFrameSize = c.maxFrameSize();
        maxHeartbeatMillis = c.maxHeartbeatMillis();
        lockDurationMillis = c.lockDurationMillis();
        maxDeliveryCount = c.maxDeliveryCount();
        queueOverrides = c.queueOverrides();
        redelivery = c.redelivery();
        queueMemory = c.queueMemory();
        expiryQueue = c.expiryQueue();
        store = c.store();
        duplicateWindow = c.duplicateWindow();
        peers = c.peers();
        peerLimits = c.peerLimits();
        httpPort = c.httpPort();
        permissionsFile = c.permissionsFile();
        tls = c.tls();
        paging = c.paging();
        postgresql = c.postgresql();
    }

    /** The settings as a record, checked. */
    BrokerConfig build() {
        return new BrokerConfig(host, port, dataDir, receiveBufferBytes, memoryLimitBytes, maxFrameSize,
                maxHeartbeatMillis, lockDurationMillis, maxDeliveryCount, queueOverrides, redelivery, queueMemory,
                expiryQueue, store, duplicateWindow, peers, peerLimits, httpPort, permissionsFile, tls, paging,
                postgresql);
    }
}
