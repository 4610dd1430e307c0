package io.tunnelmq.server;

import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.server.console.ConsoleSecurity;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.destination.StoreRecovery;
import io.tunnelmq.server.http.HttpListenException;
import io.tunnelmq.server.management.BrokerProblems;
import io.tunnelmq.server.management.Management;
import io.tunnelmq.server.net.Authenticator;
import io.tunnelmq.server.net.ListenException;
import io.tunnelmq.server.net.NetSettings;
import io.tunnelmq.server.net.TunnelServer;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.queue.QueueStats;
import io.tunnelmq.server.queue.WheelTimer;
import io.tunnelmq.server.security.AccessControl;
import io.tunnelmq.server.security.LoginBackoff;
import io.tunnelmq.server.security.PermissionsFileException;
import io.tunnelmq.server.session.BrokerContext;
import io.tunnelmq.server.session.BrokerCounters;
import io.tunnelmq.server.store.MessageStore;
import io.tunnelmq.server.store.RecordLog;
import io.tunnelmq.server.store.RecordLogs;
import io.tunnelmq.server.store.StoreException;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoreIds;
import io.tunnelmq.server.store.StoreOpenException;
import io.tunnelmq.server.store.Storage;
import io.tunnelmq.server.store.pages.DiskPages;
import io.tunnelmq.server.store.pages.PagedMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A TunnelMQ broker running inside the current JVM — for tests and for applications that bring their own
 * broker. All its threads are daemons and {@link #close()} ends them. Persistent messages are kept in memory unless
 * the config asks for the journal ({@link BrokerConfig#withJournal}); then the broker recovers what the journal holds
 * before it accepts connections.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0))) {
 *     ConnectionFactory factory = new TunnelConnectionFactory(broker.url());
 *     ...
 * }
 * }</pre>
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final BrokerConfig config;
    private final String version;
    private final WheelTimer timer;
    private final MemoryTracker memory;
    private final DestinationRegistry destinations;
    private final TunnelServer server;
    private final MessageStore store;
    /** Paging on disk; null when the broker does not page. */
    private final DiskPages pages;
    private final Monitoring monitoring;
    private final AccessControl access;
    private final CompletableFuture<Void> fenced = new CompletableFuture<>();
    private boolean closed;

    private EmbeddedBroker(BrokerConfig config, String version, WheelTimer timer, MemoryTracker memory,
                           DestinationRegistry destinations, TunnelServer server, MessageStore store,
                           DiskPages pages, Monitoring monitoring, AccessControl access) {
        this.access = access;
        this.store = store;
        this.pages = pages;
        this.monitoring = monitoring;
        this.config = config;
        this.version = version;
        this.timer = timer;
        this.memory = memory;
        this.destinations = destinations;
        this.server = server;
    }

    /**
     * Starts a broker that accepts any credentials. Port 0 picks a free port; see {@link #port()}.
     *
     * @throws ListenException if the host and port cannot be bound (for example: already in use)
     * @throws HttpListenException if the config asks for an HTTP port that cannot be bound
     */
    public static EmbeddedBroker start(BrokerConfig config) {
        return start(config, Authenticator.ALLOW_ALL);
    }

    /**
     * Starts a broker that lets in only the clients {@code authenticator} accepts, and lets them do only what the
     * config's permissions file allows (everything without one).
     *
     * @throws ListenException if the host and port cannot be bound (for example: already in use)
     * @throws PermissionsFileException if the permissions file cannot be read or has a mistake
     * @throws IllegalArgumentException if the config has a permissions file and {@code authenticator} is
     *     {@link Authenticator#ALLOW_ALL} (which takes any client's word for who it is)
     * @throws StoreOpenException if the config asks for a journal that cannot be opened (a damaged one included)
     */
    public static EmbeddedBroker start(BrokerConfig config, Authenticator authenticator) {
        return start(config, authenticator, RecordLogs.production());
    }

    /**
     * Starts a broker whose journal (when the config asks for one) is the log {@code journal} opens — tests inject
     * fakes and faults this way.
     */
    static EmbeddedBroker start(BrokerConfig config, Authenticator authenticator, RecordLog.Opener journal) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(authenticator, "authenticator");
        String version = BrokerVersion.current();
        // a broken permissions file stops the start before anything has opened
        AccessControl access = accessControl(config, authenticator);
        try {
            return start(config, authenticator, journal, version, access);
        } catch (RuntimeException e) {
            access.close();
            throw e;
        }
    }

    private static EmbeddedBroker start(BrokerConfig config, Authenticator authenticator, RecordLog.Opener journal,
                                        String version, AccessControl access) {
        // the HTTP port opens first: if it cannot, nothing else has started (the standalone broker may retry without)
        Monitoring monitoring = Monitoring.open(config);
        long opening = System.nanoTime();
        MessageStore store = BrokerStores.open(config, journal);
        DiskPages pages;
        try {
            pages = BrokerStores.openPages(config, store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        WheelTimer timer = new WheelTimer();
        MemoryTracker memory = new MemoryTracker(config.memoryLimitBytes(), config.queueMemory().consumerLagBytes());
        // over a store other brokers share, ids come from the store (unique among them) and queues claim from it
        SharedQueues shared = store instanceof SharedQueues s ? s : null;
        Storage storage = new Storage(store, shared == null ? new StoreIds() : shared.ids(),
                pages == null ? PagedMessages.NONE : pages, BrokerStores.diskLimit(config, store), shared);
        DestinationRegistry destinations = new DestinationRegistry(timer, memory, config::queueSettings,
                config::queueMaxBytes, config.expiryQueue(), storage, config.duplicateWindow());
        BrokerCounters counters = new BrokerCounters();
        monitoring.follow(destinations, memory, counters, store);
        // one back-off for the tunnel and the console: a guesser taking turns between them gains nothing
        LoginBackoff backoff = LoginBackoff.of(config.peerLimits());
        monitoring.console(new ConsoleSecurity(authenticator == Authenticator.ALLOW_ALL ? null : authenticator,
                access, backoff));
        try {
            if (store.persistent()) {
                StoreRecovery.recover(destinations, opening);
            }
        } catch (RuntimeException e) {
            monitoring.close();
            timer.close();
            BrokerStores.close(pages, store);
            if (e instanceof StoreException) {
                // the journal is read back while recovering: a record it cannot read stops the start like a damaged one
                throw new StoreOpenException("cannot recover the " + (config.store() == BrokerConfig.StoreKind.POSTGRESQL
                        ? store.toString() : "journal in " + config.dataDir().toAbsolutePath()) + ": " + e.getMessage(), e);
            }
            throw e;
        }
        BrokerContext context = new BrokerContext(destinations, memory, config.receiveBufferBytes(),
                config.maxFrameSize(), counters, access, config.peerLimits());
        NetSettings net = new NetSettings(config.host(), config.port(), config.maxFrameSize(),
                config.maxHeartbeatMillis(), config.peerLimits().handshakeTimeoutMillis(), version, config.peers());
        TunnelServer server;
        try {
            server = TunnelServer.start(net, context, authenticator, config.peerLimits(), config.tls(),
                    monitoring.management(), backoff);
        } catch (RuntimeException e) {
            monitoring.close();
            timer.close();
            BrokerStores.close(pages, store);
            throw e;
        }
        EmbeddedBroker broker = new EmbeddedBroker(config, version, timer, memory, destinations, server, store, pages,
                monitoring, access);
        monitoring.started(server::connectionCount, version, broker.url(), config.host() + ":" + broker.port());
        monitoring.management().connectionDirectory(server.connectionDirectory());
        BrokerProblems problems = monitoring.management().problems();
        problems.watch(authenticator::problem, "the broker keeps the users it had until the file is fixed");
        problems.watch(access::problem, "the broker keeps the permissions it had until the file is fixed");
        problems.watch(server::tlsProblem, "new connections get the TLS they had until it is fixed");
        problems.watch(store::problem, "persistent sends and transactions are refused until it takes writes again"
                + " (the log says why); /health/ready answers 503");
        if (shared != null) {
            shared.listenFenced(broker::fence);
        }
        log.info("TunnelMQ broker {} started, accepting connections at {}", version, broker.url());
        return broker;
    }

    /**
     * The permissions file's rules, watched for changes; or none, which the log says.
     *
     * @throws PermissionsFileException if the file cannot be read or has a mistake
     */
    private static AccessControl accessControl(BrokerConfig config, Authenticator authenticator) {
        if (config.permissionsFile() != null) {
            if (authenticator == Authenticator.ALLOW_ALL) {
                // every client would be whoever its Hello claims, and get that user's rights
                throw new IllegalArgumentException("a permissions file (" + config.permissionsFile() + ") needs an"
                        + " authenticator that checks who logs in (a users file): with none, any client could claim"
                        + " any user's rights");
            }
            return AccessControl.watching(config.permissionsFile());
        }
        if (authenticator == Authenticator.ALLOW_ALL) {
            log.info("no users file: every client may connect and use every destination");
        } else {
            log.info("no permissions file: every user who logs in may use every destination");
        }
        return AccessControl.open();
    }

    /** The address the broker listens on, as configured. */
    public String host() {
        return config.host();
    }

    /**
     * The port the broker listens on (the real one when 0 was configured); with TLS only ({@link
     * TlsSettings#plainDisabled()}) the TLS port.
     */
    public int port() {
        return server.localAddress() != null ? server.localAddress().getPort() : tlsPort();
    }

    /** The URL clients connect to: {@code tmq://host:port}, or {@link #tlsUrl()} with TLS only. */
    public String url() {
        return server.localAddress() != null ? Protocol.SCHEME + "://" + host() + ":" + port() : tlsUrl();
    }

    /** The TLS port (the real one when 0 was configured), or 0 without TLS. */
    public int tlsPort() {
        return server.tlsAddress() == null ? 0 : server.tlsAddress().getPort();
    }

    /** The URL TLS clients connect to, {@code tmqs://host:port}, or null without TLS. */
    public String tlsUrl() {
        return server.tlsAddress() == null ? null : "tmqs://" + host() + ":" + tlsPort();
    }


    /** The broker's product version. */
    public String version() {
        return version;
    }

    public BrokerConfig config() {
        return config;
    }

    /** The HTTP port serving {@code GET /metrics} ({@link BrokerConfig#httpPort()}); 0 when it is off. */
    public int httpPort() {
        return monitoring.httpPort();
    }

    /** The broker's figures and management operations (what {@code /metrics} and JMX show). */
    public Management management() {
        return monitoring.management();
    }

    /** Client connections currently open. */
    public int connectionCount() {
        return server.connectionCount();
    }

    /** Bytes of messages the broker holds now (queued, locked, scheduled, staged in transactions). */
    public long memoryUsed() {
        return memory.used();
    }

    /**
     * Test hook: closes every client socket abruptly, as if the network failed. The broker abandons their locks
     * (the messages become available again with their delivery count raised).
     */
    public void dropConnections() {
        server.dropConnections();
    }

    /** Messages held by a queue in any state (available, locked, scheduled); 0 if the queue does not exist. */
    public long queueDepth(String queue) {
        return queueStats(queue).depth();
    }

    /** Its destinations (tests in this package look inside). */
    DestinationRegistry destinations() {
        return destinations;
    }

    /** A snapshot of a queue; all zeros if the queue does not exist (this never creates it). */
    public QueueStats queueStats(String queue) {
        return destinations.queueStats(queue).orElse(new QueueStats(0, 0, 0, 0, 0, 0));
    }

    /**
     * Completes once the broker stopped because the other brokers over its shared store took it for dead, or were
     * about to ({@link SharedQueues#listenFenced}): the messages it had claimed are theirs to hand on, so it closed
     * (its clients fail over) rather than deliver them beside whoever claims them next. Another broker started with
     * the same config joins the others afresh: the standalone broker does so itself ({@link Broker}), and so does a
     * {@link RejoiningBroker}. Never completes for a broker that does not share its store.
     */
    public CompletableFuture<Void> fenced() {
        return fenced.copy();
    }

    /** On the store's thread: the close, which waits for that thread, runs on one of its own. */
    private void fence() {
        Thread closer = new Thread(() -> {
            try {
                close();
            } finally {
                fenced.complete(null);
            }
        }, "tunnelmq-fenced");
        closer.setDaemon(true);
        closer.start();
    }

    /**
     * Stops the broker: closes the server socket, tells connected clients it is shutting down, closes their
     * connections and stops every thread it started. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        monitoring.stopping();
        server.close();
        monitoring.close();
        destinations.close();
        timer.close();
        BrokerStores.close(pages, store);
        access.close();
        log.info("TunnelMQ broker stopped");
    }
}
