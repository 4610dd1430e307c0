package io.tunnelmq.server.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.codec.FrameDecoder;
import io.tunnelmq.protocol.codec.FrameEncoder;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.server.security.ConnectionLimits;
import io.tunnelmq.server.security.FrameMemory;
import io.tunnelmq.server.security.PeerSource;
import io.tunnelmq.server.session.BrokerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Admits a new connection within the {@link ConnectionLimits} (one past them is told why and closed) and builds its
 * pipeline: the {@link HandshakeDeadline}, on the TLS port TLS ({@link TlsPortGuard}, SslHandler, {@link
 * TlsHandshakeWatch}), idle detection (heartbeats, once open), the frame codec (small frames only until login), optional frame
 * tracing, flush consolidation (many small frames written in one burst leave in one syscall) and the
 * {@link ConnectionHandler}.
 */
final class ConnectionInitializer extends ChannelInitializer<SocketChannel> {
    private static final Logger log = LoggerFactory.getLogger(ConnectionInitializer.class);

    private final NetSettings settings;
    private final BrokerContext broker;
    private final ConnectionLimits limits;
    private final Logins logins;
    private final LiveConnections live;
    private final Supplier<String> connectionIds;
    /** The name of the flush consolidation in the pipeline. */
    static final String FLUSH = "flush";

    /** The broker's event loops, between which connections may move. */
    private final BrokerLoops loops;
    /** The open connections: each accepted one is in it until it closes. */
    private final Set<Channel> open;
    /** The TLS port's context as it is now, or null on the plain port. */
    private final Supplier<ServerTls.Context> tls;
    private final FrameMemory frameMemory;
    /** The admin channel every connection shares, or null. */
    private AdminChannel admin;

    /** An initializer for the TLS port when {@code tls} is not null. */
    ConnectionInitializer(NetSettings settings, BrokerContext broker, ConnectionLimits limits, FrameMemory frameMemory,
                          Logins logins, LiveConnections live, Supplier<String> connectionIds,
                          Set<Channel> open, Supplier<ServerTls.Context> tls, BrokerLoops loops) {
        this.tls = tls;
        this.loops = loops;
        this.frameMemory = frameMemory;
        this.settings = settings;
        this.broker = broker;
        this.limits = limits;
        this.logins = logins;
        this.live = live;
        this.connectionIds = connectionIds;
        this.open = open;
    }

    /** Lets this initializer's connections send admin requests to {@code channel}. */
    ConnectionInitializer withAdmin(AdminChannel channel) {
        this.admin = channel;
        return this;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        InetAddress address = channel.remoteAddress().getAddress();
        ConnectionLimits.Admission admission = limits.admit(address);
        switch (admission) {
            case ADMITTED -> {
                open.add(channel);
                channel.closeFuture().addListener(f -> { // one listener: 10,000 connections hold 10,000 of them
                    open.remove(channel);
                    limits.release(address);
                });
            }
            case TOO_MANY_IN_TOTAL -> {
                refuse(channel, address, "the broker holds its maximum of " + limits.maxTotal() + " connections");
                return;
            }
            case TOO_MANY_FROM_ADDRESS -> {
                refuse(channel, address, PeerSource.describe(address) + " holds its maximum of " + limits.maxPerAddress()
                        + " connections to the broker");
                return;
            }
        }
        String connectionId = connectionIds.get();
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(WireWatch.NAME, new WireWatch()); // bytes, and heartbeats once open
        pipeline.addLast(HandshakeDeadline.NAME, new HandshakeDeadline(settings.handshakeTimeoutMillis()));
        if (tls != null) {
            addTls(channel);
        }
        FrameDecoder decoder = new FrameDecoder(Math.min(ConnectionHandler.PRE_LOGIN_MAX_FRAME_SIZE,
                settings.maxFrameSize()));
        decoder.budget(frameMemory); // engages once login raises the frame limit above its small frames
        pipeline.addLast("decoder", decoder);
        pipeline.addLast("encoder", new FrameEncoder(settings.maxFrameSize()));
        if (FrameTraceHandler.enabled()) {
            pipeline.addLast("trace", new FrameTraceHandler(connectionId));
        }
        pipeline.addLast(FLUSH, flushConsolidation());
        pipeline.addLast("connection", new ConnectionHandler(connectionId, settings, broker, logins, live, admin,
                loops));
    }

    /** Many small frames written in one burst leave in one system call. */
    static FlushConsolidationHandler flushConsolidation() {
        return new FlushConsolidationHandler(256, true);
    }

    /**
     * TLS in front of the frame codec: the guard that answers plain clients, the SslHandler (its own handshake timeout
     * is the handshake deadline, which counts from accept and so covers the TLS handshake too) and its watch. The
     * pre-login frame limit applies to what TLS decrypts, and TLS itself buffers at most one record.
     */
    private void addTls(SocketChannel channel) {
        ServerTls.Context context = tls.get(); // one context for the connection, whatever a reload does meanwhile
        SslHandler ssl = context.ssl().newHandler(channel.alloc());
        ssl.setHandshakeTimeoutMillis(settings.handshakeTimeoutMillis());
        channel.pipeline()
                .addLast(TlsPortGuard.NAME, new TlsPortGuard(broker.counters(), logins.complaints()))
                .addLast("tls", ssl)
                .addLast(TlsHandshakeWatch.NAME, new TlsHandshakeWatch(broker.counters(), logins.complaints(),
                        context.users()));
    }

    /** Tells the peer why (a client shows it) and closes, reading nothing. */
    private void refuse(SocketChannel channel, InetAddress address, String why) {
        logins.complaints().warn(log, LogThrottle.Kind.CONNECTION_LIMIT, address, "connection from "
                + address.getHostAddress() + " refused: " + why);
        channel.config().setAutoRead(false);
        if (tls != null) {
            channel.close(); // a TLS client could not read a plain answer, and a handshake costs too much to refuse
            return;
        }
        channel.pipeline().addLast(new FrameEncoder(settings.maxFrameSize()));
        channel.writeAndFlush(new ErrorFrame(Protocol.CONTROL_CHANNEL, 0, ErrorCode.RESOURCE_EXHAUSTED,
                "connection refused: " + why + "; try again later")).addListener(ChannelFutureListener.CLOSE);
    }
}
