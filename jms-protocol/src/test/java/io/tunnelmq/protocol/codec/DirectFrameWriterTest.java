package io.tunnelmq.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Heartbeat;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.Send;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Frames written on the loop skip the handlers above the encoder, unless one of them is the trace. */
@Timeout(10)
class DirectFrameWriterTest {
    private static final int MAX = Protocol.DEFAULT_MAX_FRAME_SIZE;

    /** Sees the frames that go down the pipeline, and the exceptions that come up it. */
    static class Watch extends ChannelDuplexHandler {
        final List<Object> written = new ArrayList<>();
        final List<Throwable> caught = new ArrayList<>();
        int flushes;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            written.add(msg);
            ctx.write(msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            caught.add(cause);
        }
    }

    /** Stands for the frame trace handler. */
    static final class Trace extends Watch {
    }

    private EmbeddedChannel channel;

    @AfterEach
    void release() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel channel(int maxFrameSize, Watch above) {
        channel = new EmbeddedChannel();
        channel.pipeline().addLast("encoder", new FrameEncoder(maxFrameSize)).addLast("above", above);
        return channel;
    }

    private List<Frame> framesOut() {
        List<Frame> frames = new ArrayList<>();
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            frames.addAll(FrameEncoderBatchTest.decodeAll(buf));
        }
        return frames;
    }

    @Test
    void framesWrittenOnTheLoopGoStraightIntoTheEncoderAndOutAtTheFlush() {
        Watch above = new Watch();
        DirectFrameWriter writer = new DirectFrameWriter(channel(MAX, above), Trace.class);
        Ok ok = new Ok(1, 2, 3);
        Send send = FrameEncoderBatchTest.send(4, 100);
        writer.writeAndFlushVoid(ok);
        writer.writeAndFlushVoid(send);

        assertThat(above.written).as("no walk down the pipeline").isEmpty();
        assertThat(framesOut()).containsExactly(ok, send);
    }

    @Test
    void tracedFramesGoDownThePipeline() {
        Trace trace = new Trace();
        DirectFrameWriter writer = new DirectFrameWriter(channel(MAX, trace), Trace.class);
        Ok ok = new Ok(1, 2, 3);
        assertThat(writer.tryWriteNow(ok)).isFalse();
        writer.writeAndFlushVoid(ok);

        assertThat(trace.written).containsExactly(ok);
        assertThat(framesOut()).containsExactly(ok);
    }

    @Test
    void aHeartbeatGoesOutFromTheEncoderDownWithTheFramesItHolds() {
        Watch above = new Watch();
        DirectFrameWriter writer = new DirectFrameWriter(channel(MAX, above), Trace.class);
        Ok held = new Ok(1, 2, 3);
        assertThat(writer.tryWriteNow(held)).isTrue(); // in the encoder, not flushed
        DirectFrameWriter.heartbeat(channel, Trace.class);
        DirectFrameWriter.heartbeat(channel, Trace.class);

        assertThat(above.written).as("no walk down the pipeline").isEmpty();
        assertThat(above.flushes).as("no flush consolidation above the encoder").isZero();
        assertThat(framesOut()).containsExactly(held, Heartbeat.INSTANCE, Heartbeat.INSTANCE);
    }

    @Test
    void aTracedHeartbeatOrOneWithoutAnEncoderGoesDownThePipeline() {
        Trace trace = new Trace();
        channel(MAX, trace);
        DirectFrameWriter.heartbeat(channel, Trace.class);
        assertThat(trace.written).containsExactly(Heartbeat.INSTANCE);
        assertThat(trace.flushes).isOne();
        assertThat(framesOut()).containsExactly(Heartbeat.INSTANCE);

        channel.pipeline().remove("encoder");
        channel.pipeline().remove("above");
        DirectFrameWriter.heartbeat(channel, Trace.class);
        assertThat((Object) channel.readOutbound()).isEqualTo(Heartbeat.INSTANCE);
    }

    @Test
    void aFrameThatCannotBeEncodedComesUpAsAnExceptionAndTheOthersGoOut() {
        Watch above = new Watch();
        DirectFrameWriter writer = new DirectFrameWriter(channel(2048, above), Trace.class);
        Send fits = FrameEncoderBatchTest.send(1, 100);
        writer.writeAndFlushVoid(FrameEncoderBatchTest.send(2, 4096));
        writer.writeAndFlushVoid(fits);

        assertThat(above.caught).singleElement().isInstanceOf(EncoderException.class);
        assertThat(framesOut()).containsExactly(fits);
    }

    @Test
    void aFrameWrittenAfterTheCloseGoesNowhere() {
        Watch above = new Watch();
        DirectFrameWriter writer = new DirectFrameWriter(channel(MAX, above), Trace.class);
        writer.writeAndFlushVoid(new Ok(1, 2, 3)); // found the encoder while open
        assertThat(framesOut()).hasSize(1);
        channel.close();
        writer.writeAndFlushVoid(new Ok(1, 2, 4));

        assertThat(framesOut()).isEmpty();
    }

    @Test
    void aReplacedEncoderIsFoundAgain() {
        Watch above = new Watch();
        DirectFrameWriter writer = new DirectFrameWriter(channel(MAX, above), Trace.class);
        Ok before = new Ok(1, 2, 3);
        Ok after = new Ok(1, 2, 4);
        writer.writeAndFlushVoid(before);
        channel.pipeline().replace("encoder", "encoder", new FrameEncoder(MAX / 2));
        writer.writeAndFlushVoid(after);

        assertThat(above.written).isEmpty();
        assertThat(above.caught).isEmpty();
        assertThat(framesOut()).containsExactly(before, after);
    }
}
