package io.tunnelmq.jms.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(20)
class TunnelTransportTest {
    private ServerSocket server;
    private Channel channel;

    @BeforeEach
    void listen() throws Exception {
        // a listening socket is enough: the kernel completes TCP connects without accept()
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        server.close();
    }

    private static TransportOptions options() {
        return new TransportOptions(2000, Protocol.DEFAULT_MAX_FRAME_SIZE);
    }

    private Channel connect() throws Exception {
        ChannelFuture f = TunnelTransport.connect(options(), TunnelTransport.nextEventLoop(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
                p -> p.addLast("engine", new ChannelInboundHandlerAdapter()));
        assertThat(f.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(f.isSuccess()).as("connected: %s", f.cause()).isTrue();
        channel = f.channel();
        return channel;
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return channel.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
    }

    @Test
    void pipelineHasTheCodecFlushConsolidationAndTheEngineLast() throws Exception {
        Channel ch = connect();
        assertThat(ch.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
        assertThat(ch.config().getOption(ChannelOption.CONNECT_TIMEOUT_MILLIS)).isEqualTo(2000);
        assertThat(ch.config().getWriteBufferHighWaterMark()).isEqualTo(1024 * 1024);
        assertThat(ch.pipeline().names()).as("no trace handler: frame tracing is off")
                .startsWith(TunnelTransport.DECODER, TunnelTransport.ENCODER, TunnelTransport.FLUSH, "engine");
    }

    @Test
    void heartbeatsGoAtTheSocketEndSoEveryByteReadCounts() throws Exception {
        Channel ch = connect();
        onLoop(() -> {
            TunnelTransport.startHeartbeats(ch, 10_000);
            return null;
        });
        assertThat(ch.pipeline().names()).startsWith(TunnelTransport.HEARTBEAT, TunnelTransport.DECODER,
                TunnelTransport.ENCODER, TunnelTransport.FLUSH, "engine");
    }

    @Test
    void aLowerFrameLimitRefusesLargerFramesWithoutClosingTheChannel() throws Exception {
        Channel ch = connect();
        onLoop(() -> {
            TunnelTransport.limitOutboundFrameSize(ch, 64);
            return null;
        });
        Frame big = new Settle(1, 0, SettleOutcome.COMPLETE, new long[20], null);

        ChannelFuture write = ch.writeAndFlush(big).await();

        assertThat(write.cause()).isInstanceOf(EncoderException.class);
        assertThat(write.cause().getCause()).isInstanceOf(ProtocolException.class);
        assertThat(((ProtocolException) write.cause().getCause()).code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(ch.writeAndFlush(new Ok(0, 1, 0)).await().isSuccess()).isTrue();
        assertThat(ch.isActive()).isTrue();
    }

    @Test
    void channelsLiveOnDaemonThreadsNamedTunnelmqIo() throws Exception {
        connect();
        Thread thread = onLoop(Thread::currentThread);
        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.getName()).matches("tunnelmq-io-\\d+");
        assertThat(TunnelTransport.nextEventLoop().parent()).isSameAs(channel.eventLoop().parent());
    }

    @Test
    void connectingWhereNobodyListensFails() throws Exception {
        int port = server.getLocalPort();
        server.close();
        ChannelFuture f = TunnelTransport.connect(options(), TunnelTransport.nextEventLoop(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), p -> { });
        assertThat(f.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(f.cause()).isInstanceOf(ConnectException.class);
    }

    @Test
    void frameTracePassesFramesThroughUnchanged() {
        EmbeddedChannel ch = new EmbeddedChannel(FrameTraceHandler.INSTANCE);
        TunnelTransport.setLogId(ch, "c-1");
        Ok in = new Ok(0, 1, 2);
        Ok out = new Ok(0, 3, 4);
        ch.writeInbound(in);
        ch.writeOutbound(out);
        assertThat((Object) ch.readInbound()).isSameAs(in);
        assertThat((Object) ch.readOutbound()).isSameAs(out);
        assertThat(ch.finish()).isFalse();
    }
}
