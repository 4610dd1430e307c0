package io.tunnelmq.server.net;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.tunnelmq.protocol.codec.FrameDecoder;
import io.tunnelmq.protocol.codec.FrameEncoder;
import io.tunnelmq.server.session.BrokerContext;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Builds a client connection's pipeline: idle detection (the handshake timeout, later heartbeats), the frame
 * codec, optional frame tracing, flush consolidation (many small frames written in one burst leave in one
 * syscall) and the {@link ConnectionHandler}.
 */
final class ConnectionInitializer extends ChannelInitializer<SocketChannel> {
    private final NetSettings settings;
    private final BrokerContext broker;
    private final Authenticator authenticator;
    private final LiveConnections live;
    private final Supplier<String> connectionIds;
    private final Consumer<SocketChannel> onAccept;
    private final FrameEncoder encoder;

    ConnectionInitializer(NetSettings settings, BrokerContext broker, Authenticator authenticator, LiveConnections live,
                          Supplier<String> connectionIds, Consumer<SocketChannel> onAccept) {
        this.settings = settings;
        this.broker = broker;
        this.authenticator = authenticator;
        this.live = live;
        this.connectionIds = connectionIds;
        this.onAccept = onAccept;
        this.encoder = new FrameEncoder(settings.maxFrameSize());
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        String connectionId = connectionIds.get();
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(ConnectionHandler.IDLE_HANDLER,
                new IdleStateHandler(settings.handshakeTimeoutMillis(), 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("decoder", new FrameDecoder(settings.maxFrameSize()));
        pipeline.addLast("encoder", encoder);
        if (FrameTraceHandler.enabled()) {
            pipeline.addLast("trace", new FrameTraceHandler(connectionId));
        }
        pipeline.addLast("flush", new FlushConsolidationHandler(256, true));
        pipeline.addLast("connection", new ConnectionHandler(connectionId, settings, broker, authenticator, live));
        onAccept.accept(channel);
    }
}
