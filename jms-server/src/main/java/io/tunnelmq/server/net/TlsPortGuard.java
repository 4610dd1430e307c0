package io.tunnelmq.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.codec.FrameEncoder;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.server.session.BrokerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * Sits in front of the TLS port's {@code SslHandler} and looks at the first byte a peer sends: a TLS handshake record
 * starts with 22, a plain TunnelMQ client's Hello with the high byte of a small frame length (0). A plain client is
 * told in plain text that the port speaks TLS, so it fails at once with a message that says so, instead of waiting
 * for a handshake that never comes; then the connection closes.
 */
final class TlsPortGuard extends ChannelInboundHandlerAdapter {
    static final String NAME = "tls-guard";
    private static final Logger log = LoggerFactory.getLogger(TlsPortGuard.class);
    private static final int TLS_HANDSHAKE_RECORD = 22;

    private final BrokerCounters counters;
    private final LogThrottle complaints;

    TlsPortGuard(BrokerCounters counters, LogThrottle complaints) {
        this.counters = counters;
        this.complaints = complaints;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        if (!bytes.isReadable()) {
            bytes.release();
            return;
        }
        if (bytes.getUnsignedByte(bytes.readerIndex()) == TLS_HANDSHAKE_RECORD) {
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(bytes);
            return;
        }
        bytes.release();
        counters.tlsHandshakeFailed();
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        complaints.warn(log, LogThrottle.Kind.HANDSHAKE, remote.getAddress(), "connection from " + remote
                + " to the TLS port closed: it did not start a TLS handshake (a plain tmq:// client?)");
        ctx.channel().config().setAutoRead(false);
        ByteBuf answer = ctx.alloc().buffer();
        // written from here, in front of the SslHandler: the bytes leave unencrypted, as the plain client expects
        FrameEncoder.encode(new ErrorFrame(Protocol.CONTROL_CHANNEL, 0, ErrorCode.PROTOCOL_VIOLATION, "port "
                + local.getPort() + " speaks TLS: connect with tmqs://host:" + local.getPort()
                + " (or to the broker's plain port with tmq://)"), answer, Protocol.DEFAULT_MAX_FRAME_SIZE);
        ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    }
}
