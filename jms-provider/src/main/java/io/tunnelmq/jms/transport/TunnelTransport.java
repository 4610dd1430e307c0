package io.tunnelmq.jms.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.tunnelmq.protocol.codec.DirectFrameWriter;
import io.tunnelmq.protocol.codec.FrameDecoder;
import io.tunnelmq.protocol.codec.FrameEncoder;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * The TCP side of a tunnel: opens a Netty channel to the broker whose pipeline turns bytes into frames and
 * back, consolidates flushes, traces frames and (once the handshake agreed an interval) runs heartbeats. The
 * engine adds its own handlers at the end of the pipeline and never touches bytes.
 *
 * <p>Pipeline, socket side first: [heartbeat], [TLS], frame decoder, frame encoder, flush consolidation, frame trace,
 * engine handlers.
 */
public final class TunnelTransport {
    static final String DECODER = "frame-decoder";
    static final String ENCODER = "frame-encoder";
    static final String FLUSH = "flush-consolidation";
    static final String TRACE = "frame-trace";
    static final String HEARTBEAT = "heartbeat";
    static final String TLS = "tls";

    /**
     * Flushes requested from outside a read are merged into one flush task per event-loop round, and up to
     * this many flushes during a read are merged until the read completes: many small frames, few syscalls.
     */
    private static final int FLUSHES_MERGED = 256;

    /**
     * Netty's outbound buffer limits. The send window already bounds what a producer can queue, so these only
     * mark the channel unwritable when the socket is slower than the window (a very large window).
     */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private TunnelTransport() {
    }

    /** The event loop a new connection should live on, from the shared group of daemon threads. */
    public static EventLoop nextEventLoop() {
        return IoEventLoops.shared().next();
    }

    /**
     * Starts connecting to an already resolved broker address (resolving a name could block, so it is done by
     * the caller, never on an event loop).
     *
     * @param options        connect timeout and maximum frame size
     * @param loop           the loop the channel will live on, from {@link #nextEventLoop()}
     * @param address        the broker's resolved address
     * @param engineHandlers adds the engine's handlers at the end of the pipeline
     * @return completes when the TCP connection is established, or fails with the reason it was not
     */
    public static ChannelFuture connect(TransportOptions options, EventLoop loop, InetSocketAddress address,
                                        Consumer<ChannelPipeline> engineHandlers) {
        return connect(options, loop, address, null, engineHandlers);
    }

    /**
     * Like {@link #connect(TransportOptions, EventLoop, InetSocketAddress, Consumer)}, through TLS when {@code tls} is
     * not null: the TLS handshake runs first (what the engine writes meanwhile waits for it), and the broker's
     * certificate must name the address's host as given ({@link InetSocketAddress#getHostString()}).
     */
    public static ChannelFuture connect(TransportOptions options, EventLoop loop, InetSocketAddress address,
                                        ClientTls tls, Consumer<ChannelPipeline> engineHandlers) {
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMillis()))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (tls != null) {
                            p.addLast(TLS, tls.newHandler(ch.alloc(), address.getHostString(), address.getPort()));
                        }
                        p.addLast(DECODER, new FrameDecoder(options.maxFrameSize()));
                        p.addLast(ENCODER, new FrameEncoder(options.maxFrameSize()));
                        p.addLast(FLUSH, new FlushConsolidationHandler(FLUSHES_MERGED, true));
                        if (FrameTraceHandler.enabled()) {
                            p.addLast(TRACE, FrameTraceHandler.INSTANCE);
                        }
                        engineHandlers.accept(p);
                    }
                });
        return bootstrap.connect(address);
    }

    /**
     * Starts heartbeats at the interval agreed in the handshake: a heartbeat goes out whenever nothing was
     * written for one interval, the peer is quiet after two intervals in which nothing was read (and {@link PeerHeard}
     * is fired when it speaks again), and {@link PeerSilent} is fired after three. The heartbeat handler sits at the
     * socket end, so any byte read counts. Call on the channel's event loop.
     *
     * @return the running heartbeats, to ask whether the peer is quiet
     */
    public static Heartbeats startHeartbeats(Channel channel, int intervalMillis) {
        HeartbeatHandler heartbeats = new HeartbeatHandler(intervalMillis);
        channel.pipeline().addFirst(HEARTBEAT, heartbeats);
        return heartbeats;
    }

    /** Writes the channel's frames straight into its encoder where it can ({@link DirectFrameWriter}). */
    public static DirectFrameWriter directWriter(Channel channel) {
        return new DirectFrameWriter(channel, FrameTraceHandler.class);
    }

    /** Lowers the largest frame this side writes to what the broker accepts. Call on the channel's event loop. */
    public static void limitOutboundFrameSize(Channel channel, int maxFrameSize) {
        channel.pipeline().replace(ENCODER, ENCODER, new FrameEncoder(maxFrameSize));
    }

    /** Names the connection in frame traces (for example with the broker's connection id). */
    public static void setLogId(Channel channel, String logId) {
        channel.attr(FrameTraceHandler.LOG_ID).set(logId);
    }
}
