package io.tunnelmq.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.codec.FrameDecoder;
import io.tunnelmq.protocol.codec.FrameEncoder;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.queue.QueueSettings;
import io.tunnelmq.server.queue.WheelTimer;
import io.tunnelmq.server.session.BrokerContext;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link ConnectionHandler} on an in-memory channel, behind the broker's byte counter and frame decoder, and the
 * frames that go in and come out of it: what the handler's tests share. Frames are at most {@link #MAX_FRAME} bytes.
 */
final class HandlerChannels {
    static final int MAX_FRAME = 64 * 1024;
    /** Each connection's receive buffer in {@link #broker}. */
    static final long BUFFER = 1024 * 1024;

    private HandlerChannels() {
    }

    /** A broker of 1 GiB memory, {@link #BUFFER} receive buffers and {@link #MAX_FRAME} frames, on {@code timer}. */
    static BrokerContext broker(WheelTimer timer) {
        MemoryTracker memory = new MemoryTracker(1L << 30);
        return new BrokerContext(new DestinationRegistry(timer, memory, q -> new QueueSettings(60_000, 10)), memory,
                BUFFER, MAX_FRAME);
    }

    /** A Hello of user "user", password "secret". */
    static Hello hello(int version, String clientId, int heartbeat, Map<String, Object> options) {
        return new Hello(version, clientId, "user", "secret", heartbeat, options);
    }

    /** Reads the error frame that ended the connection, checks it has {@code code} and the channel is closed. */
    static ErrorFrame closedWith(EmbeddedChannel channel, ErrorCode code) {
        Frame frame = read(channel);
        assertThat(frame).isInstanceOf(ErrorFrame.class);
        ErrorFrame error = (ErrorFrame) frame;
        assertThat(error.channel()).isZero();
        assertThat(error.requestId()).isZero();
        assertThat(error.code()).isEqualTo(code);
        assertThat(channel.isOpen()).as("connection closed after the error").isFalse();
        return error;
    }

    /** A channel with a handler for connection "c-1"; nothing is written to it yet. */
    static EmbeddedChannel channel(NetSettings settings, BrokerContext broker, Authenticator authenticator,
                                   LiveConnections live) {
        return withHandler(new EmbeddedChannel(), settings, broker, Logins.inline(authenticator), live);
    }

    /** {@code channel} (a test's own kind) with a handler for connection "c-1"; nothing is written to it yet. */
    static <C extends EmbeddedChannel> C withHandler(C channel, NetSettings settings, BrokerContext broker,
                                                     Logins logins, LiveConnections live) {
        channel.pipeline()
                .addLast(WireWatch.NAME, new WireWatch())
                .addLast(new FrameDecoder(MAX_FRAME))
                .addLast(new ConnectionHandler("c-1", settings, broker, logins, live, null, BrokerLoops.NONE));
        return channel;
    }

    /** Settings of a broker on 127.0.0.1 that allows frames of {@link #MAX_FRAME}. */
    static NetSettings settings(String brokerVersion) {
        return new NetSettings("127.0.0.1", 0, MAX_FRAME, 30_000, 10_000, brokerVersion);
    }

    /** The client writes a frame. */
    static void write(EmbeddedChannel channel, Frame frame) {
        ByteBuf buf = Unpooled.buffer();
        FrameEncoder.encode(frame, buf, MAX_FRAME);
        channel.writeInbound(buf);
    }

    /** The next frame the broker wrote, after running its pending loop tasks; fails if there is none. */
    static Frame read(EmbeddedChannel channel) {
        Frame frame = poll(channel);
        assertThat(frame).as("a frame was written").isNotNull();
        return frame;
    }

    /** The next frame the broker wrote, after running its pending loop tasks, or null. */
    static Frame poll(EmbeddedChannel channel) {
        channel.runPendingTasks();
        return channel.readOutbound();
    }
}
