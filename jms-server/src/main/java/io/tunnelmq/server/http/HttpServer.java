package io.tunnelmq.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tunnelmq.protocol.net.NioEventLoops;
import io.tunnelmq.server.security.ConnectionLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The broker's HTTP port: serves {@link HttpRoutes} with Netty's HTTP codec on one event loop of its own (a daemon
 * thread, ended by {@link #close()}), so a slow scrape or a busy console never delays a client connection. Netty
 * because the broker already runs on it: the same TLS handler can guard this port later, and the console's live
 * updates can use its WebSocket codec. Connections are held within limits ({@link HttpChannels}).
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final EventLoopGroup group;
    private final Channel serverChannel;

    private HttpServer(EventLoopGroup group, Channel serverChannel) {
        this.group = group;
        this.serverChannel = serverChannel;
    }

    /**
     * Binds {@code host:port} (0 picks a free port) and starts serving.
     *
     * @throws HttpListenException if the address cannot be bound
     */
    public static HttpServer start(String host, int port, HttpRoutes routes) {
        return start(host, port, routes, new ConnectionLimits(HttpChannels.MAX_CONNECTIONS,
                HttpChannels.MAX_CONNECTIONS_PER_ADDRESS), HttpChannels.REQUEST_MILLIS);
    }

    /**
     * As {@link #start(String, int, HttpRoutes)}, holding connections within {@code limits} and closing one whose
     * request has not come whole {@code requestMillis} after its first byte.
     */
    static HttpServer start(String host, int port, HttpRoutes routes, ConnectionLimits limits, long requestMillis) {
        EventLoopGroup group = NioEventLoops.group(1, new DefaultThreadFactory("tmq-broker-http", true));
        ChannelFuture bind = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new HttpChannels(routes, limits, requestMillis))
                .bind(host, port)
                .awaitUninterruptibly();
        if (!bind.isSuccess()) {
            shutdown(group);
            throw new HttpListenException(host, port, bind.cause());
        }
        HttpServer server = new HttpServer(group, bind.channel());
        log.info("HTTP port open at http://{}:{}/", host, server.localAddress().getPort());
        return server;
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Stops serving and ends the thread. Idempotent. */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        shutdown(group);
    }

    private static void shutdown(EventLoopGroup group) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
