package io.tunnelmq.server.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.PlatformDependent;
import io.tunnelmq.protocol.net.NioEventLoops;
import io.tunnelmq.server.management.ConnectionDirectory;
import io.tunnelmq.server.management.Management;
import io.tunnelmq.server.security.ConnectionLimits;
import io.tunnelmq.server.security.FrameMemory;
import io.tunnelmq.server.security.LoginBackoff;
import io.tunnelmq.server.security.PeerLimits;
import io.tunnelmq.server.session.BrokerContext;
import io.tunnelmq.server.store.SharedClientIds;
import io.tunnelmq.server.store.SharedQueues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The broker's TCP server: accepts client connections within the {@link PeerLimits} and runs their pipelines on a
 * small set of event loops, with credentials checked on a few login threads of their own (daemon threads, all ended
 * by {@link #close()}).
 */
public final class TunnelServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TunnelServer.class);
    private static final long CLOSE_WAIT_MILLIS = 2_000;
    /**
     * A connection whose outbound buffer passes the high mark is unwritable: queues stop delivering to its
     * consumers (a stalled client holds at most this much plus its socket buffers) until it drains below the low
     * mark. Other connections are not affected.
     */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ExecutorService loginChecks;
    /** The plain port's server channel, or null when the broker listens with TLS only. */
    private final Channel serverChannel;
    /** The TLS port's server channel, or null without TLS. */
    private final Channel tlsChannel;
    private final Set<Channel> connections;
    private final LiveConnections live;
    private final AdminChannel admin;
    /** The TLS port's context, made again when its files change; null without TLS. */
    private final TlsReloader tls;
    private volatile boolean closed;

    private TunnelServer(EventLoopGroup acceptor, EventLoopGroup workers, ExecutorService loginChecks,
                         Channel serverChannel, Channel tlsChannel, Set<Channel> connections, LiveConnections live,
                         AdminChannel admin, TlsReloader tls) {
        this.tls = tls;
        this.live = live;
        this.admin = admin;
        this.acceptor = acceptor;
        this.workers = workers;
        this.loginChecks = loginChecks;
        this.serverChannel = serverChannel;
        this.tlsChannel = tlsChannel;
        this.connections = connections;
    }

    /**
     * Binds the server socket and starts accepting.
     *
     * @throws ListenException if the address cannot be bound (in use, not local, ...)
     */
    public static TunnelServer start(NetSettings settings, BrokerContext broker, Authenticator authenticator) {
        return start(settings, broker, authenticator, PeerLimits.DEFAULTS
                .withHandshakeTimeoutMillis(settings.handshakeTimeoutMillis()));
    }

    /**
     * Binds the server socket and starts accepting within {@code limits} (its handshake timeout is
     * {@code settings}'s).
     *
     * @throws ListenException if the address cannot be bound (in use, not local, ...)
     */
    public static TunnelServer start(NetSettings settings, BrokerContext broker, Authenticator authenticator,
                                     PeerLimits limits) {
        return start(settings, broker, authenticator, limits, null);
    }

    /**
     * Binds the plain port (unless {@code tls} disables it) and, when {@code tls} is not null, the TLS port; both share
     * the event loops, the login threads and the connection limits.
     *
     * @throws ListenException if an address cannot be bound (in use, not local, ...)
     * @throws IllegalArgumentException if the TLS key or trust store cannot be read (naming the file, never the
     *                                  password)
     */
    public static TunnelServer start(NetSettings settings, BrokerContext broker, Authenticator authenticator,
                                     PeerLimits limits, TlsSettings tls) {
        return start(settings, broker, authenticator, limits, tls, null, LoginBackoff.of(limits));
    }

    /**
     * As {@link #start(NetSettings, BrokerContext, Authenticator, PeerLimits, TlsSettings)}, with the admin channel
     * over {@code management} (null: admin requests are refused), slowing failed logins with {@code backoff} (the web
     * console's too: a guesser taking turns between them gets no more guesses than through one).
     */
    public static TunnelServer start(NetSettings settings, BrokerContext broker, Authenticator authenticator,
                                     PeerLimits limits, TlsSettings tls, Management management,
                                     LoginBackoff backoff) {
        TlsReloader tlsContext = tls == null ? null : TlsReloader.open(tls, broker.counters());
        // a hashed password takes tens of ms to check: a few threads, so a login storm does not take every core
        ExecutorService loginChecks = Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors() / 2),
                new DefaultThreadFactory("tmq-broker-login", true));
        Logins logins = new Logins(authenticator, loginChecks, backoff, new LogThrottle());
        EventLoopGroup acceptor = NioEventLoops.group(1, new DefaultThreadFactory("tmq-broker-accept", true));
        EventLoopGroup workers = NioEventLoops.group(0, new DefaultThreadFactory("tmq-broker-io", true));
        BrokerLoops loops = BrokerLoops.of(workers);
        Set<Channel> connections = ConcurrentHashMap.newKeySet();
        String instance = Long.toString(System.currentTimeMillis(), 36);
        AtomicLong sequence = new AtomicLong();
        ConnectionLimits connectionLimits = new ConnectionLimits(limits.maxConnections(),
                limits.maxConnectionsPerAddress());
        FrameMemory frameMemory = limits.frameMemory(PlatformDependent.maxDirectMemory(), settings.maxFrameSize());
        SharedQueues shared = broker.destinations().storage().shared();
        SharedClientIds sharedIds = shared == null ? null : shared.clientIds();
        LiveConnections live = new LiveConnections(new ClientIds(sharedIds));
        if (sharedIds != null) {
            // a client that failed over took its client ID over through another broker: its connection here ends
            sharedIds.listenTakeovers(live::takenOver);
        }
        Supplier<String> ids = () -> instance + "-" + sequence.incrementAndGet();
        AdminChannel admin = new AdminChannel(management, broker, settings.maxFrameSize());
        Channel plain = null;
        Channel secure = null;
        try {
            if (tls == null || !tls.plainDisabled()) {
                plain = bind(acceptor, workers, settings.host(), settings.port(), new ConnectionInitializer(settings,
                        broker, connectionLimits, frameMemory, logins, live, ids, connections, null, loops)
                        .withAdmin(admin));
            }
            if (tlsContext != null) {
                secure = bind(acceptor, workers, settings.host(), tls.port(), new ConnectionInitializer(settings,
                        broker, connectionLimits, frameMemory, logins, live, ids, connections, tlsContext, loops)
                        .withAdmin(admin));
                log.info("TLS on {} with {} (TLS 1.2/1.3, client certificates: {}; {}; its files are read again when"
                        + " they change)", secure.localAddress(), ServerTls.describeProvider(), tls.clientAuth(),
                        tlsContext.get().certificate());
            }
        } catch (ListenException e) {
            if (plain != null) {
                plain.close().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
            }
            shutdown(acceptor, workers);
            loginChecks.shutdownNow();
            admin.close();
            if (tlsContext != null) {
                tlsContext.close();
            }
            throw e;
        }
        return new TunnelServer(acceptor, workers, loginChecks, plain, secure, connections, live, admin, tlsContext);
    }

    private static Channel bind(EventLoopGroup acceptor, EventLoopGroup workers, String host, int port,
                                ConnectionInitializer initializer) {
        ChannelFuture bind = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(initializer)
                .bind(host, port)
                .awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw new ListenException(host, port, bind.cause());
        }
        return bind.channel();
    }

    /** The plain port's bound address (with the real port when 0 was asked for), or null with TLS only. */
    public InetSocketAddress localAddress() {
        return serverChannel == null ? null : (InetSocketAddress) serverChannel.localAddress();
    }

    /** The TLS port's bound address (with the real port when 0 was asked for), or null without TLS. */
    public InetSocketAddress tlsAddress() {
        return tlsChannel == null ? null : (InetSocketAddress) tlsChannel.localAddress();
    }

    /** Why the TLS files' latest versions are not in force (they cannot be read or used), or null. */
    public String tlsProblem() {
        return tls == null ? null : tls.problem();
    }

    /** The open connections, for management: listing and closing them. */
    public ConnectionDirectory connectionDirectory() {
        return live;
    }

    /** Client connections currently open. */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Closes every client socket at once, without a word to the clients (for tests: simulates network loss), and
     * returns once they are closed. The broker gives back their locks as for any lost connection.
     */
    public void dropConnections() {
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel channel : connections) {
            try {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (ChannelException e) {
                continue; // it closed by itself meanwhile
            }
            closing.add(channel.close());
        }
        closing.forEach(f -> f.awaitUninterruptibly(CLOSE_WAIT_MILLIS));
    }

    /**
     * Stops accepting, tells every client the broker is shutting down, closes their sockets and stops the event
     * loops. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Channel listening : new Channel[] {serverChannel, tlsChannel}) {
            if (listening != null) {
                listening.close().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
            }
        }
        for (Channel channel : connections) {
            channel.pipeline().fireUserEventTriggered(ConnectionHandler.SHUTDOWN);
        }
        for (Channel channel : connections) {
            if (!channel.closeFuture().awaitUninterruptibly(CLOSE_WAIT_MILLIS)) {
                channel.close();
            }
        }
        shutdown(acceptor, workers);
        loginChecks.shutdownNow();
        admin.close();
        if (tls != null) {
            tls.close();
        }
        try {
            loginChecks.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("stopped listening on {}", serverChannel != null ? serverChannel.localAddress()
                : tlsChannel.localAddress());
    }

    private static void shutdown(EventLoopGroup acceptor, EventLoopGroup workers) {
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        acceptor.terminationFuture().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
        workers.terminationFuture().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
    }
}
