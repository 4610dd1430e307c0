package io.tunnelmq.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunnelmq.protocol.codec.FrameDecoder;
import io.tunnelmq.protocol.codec.FrameEncoder;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.server.session.BrokerContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link ConnectionHandler} on an in-memory channel, behind the broker's byte counter and frame decoder, and the
 * frames that go in and come out of it: what the handler's tests share. Frames are at most {@link #MAX_FRAME} bytes.
 */
final class HandlerChannels {
    static final int MAX_FRAME = 64 * 1024;

    private HandlerChannels() {
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
