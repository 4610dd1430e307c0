package io.tunnelmq.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.netty.util.ReferenceCountUtil;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Heartbeat;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Frames written between flushes share one buffer; each still succeeds or fails on its own. */
@Timeout(10)
class FrameEncoderBatchTest {
    private static final int MAX = Protocol.DEFAULT_MAX_FRAME_SIZE;

    private EmbeddedChannel channel;

    @AfterEach
    void release() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    /** A Send of a message with a body of {@code bodySize} bytes. */
    static Send send(int id, int bodySize) {
        return new Send(1, id, new WireMessage(WireDestination.queue("q"), "ID:m-" + id, 0, null, null, null, false,
                4, 0, 0, Map.of(), BodyType.BYTES, new byte[bodySize]));
    }

    /** Every buffer that left the encoder, decoded frame by frame. */
    private List<List<Frame>> buffersOut() {
        List<List<Frame>> out = new ArrayList<>();
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            out.add(decodeAll(buf));
        }
        return out;
    }

    /** The frames in {@code buf}, which it releases. */
    static List<Frame> decodeAll(ByteBuf buf) {
        List<Frame> frames = new ArrayList<>();
        try {
            while (buf.isReadable()) {
                frames.add(FrameDecoder.decode(buf, MAX));
            }
        } finally {
            buf.release();
        }
        return frames;
    }

    @Test
    void framesWrittenBetweenFlushesLeaveInOneBufferThatNeverGrew() {
        channel = new EmbeddedChannel(new FrameEncoder(MAX));
        List<Frame> written = IntStream.rangeClosed(1, 5).mapToObj(i -> (Frame) send(i, 1024)).toList();
        written.forEach(channel::write);
        assertThat((Object) channel.readOutbound()).as("nothing leaves before the flush").isNull();
        channel.flush();

        ByteBuf buf = channel.readOutbound();
        assertThat(buf.capacity()).as("allocated once").isEqualTo(FrameEncoder.CHUNK);
        assertThat(decodeAll(buf)).containsExactlyElementsOf(written);
        assertThat(buffersOut()).isEmpty();
    }

    @Test
    void aLoneHeartbeatGoesOutAsItsNineBytesSharedAndNeverReleased() {
        channel = new EmbeddedChannel(new FrameEncoder(MAX));
        channel.writeAndFlush(Heartbeat.INSTANCE);
        channel.writeAndFlush(new Heartbeat());
        ByteBuf first = channel.readOutbound();
        ByteBuf second = channel.readOutbound();
        ByteBuf expected = Unpooled.buffer();
        FrameEncoder.encode(Heartbeat.INSTANCE, expected, MAX);
        assertThat(ByteBufUtil.equals(first, expected)).isTrue();
        assertThat(second.memoryAddress()).as("no buffer of its own").isEqualTo(first.memoryAddress());
        first.release();
        second.release();
        channel.writeAndFlush(Heartbeat.INSTANCE);
        assertThat(decodeAll(channel.readOutbound())).as("the shared bytes outlive a release")
                .containsExactly(Heartbeat.INSTANCE);

        channel.write(send(1, 10));
        channel.writeAndFlush(Heartbeat.INSTANCE);
        assertThat(buffersOut()).as("behind a frame not yet out: in its buffer, in order")
                .containsExactly(List.of(send(1, 10), Heartbeat.INSTANCE));
    }

    @Test
    void aFrameThatDoesNotFitTheRestOfTheBufferStartsTheNext() {
        channel = new EmbeddedChannel(new FrameEncoder(MAX));
        List<Frame> written = IntStream.rangeClosed(1, 20).mapToObj(i -> (Frame) send(i, 1024)).toList();
        written.forEach(channel::write);
        channel.flush();

        List<List<Frame>> out = buffersOut();
        assertThat(out).hasSize(2);
        assertThat(out.stream().flatMap(List::stream)).containsExactlyElementsOf(written);
    }

    @Test
    void aFrameLargerThanABufferGetsOneOfItsOwnSize() {
        channel = new EmbeddedChannel(new FrameEncoder(MAX));
        Send big = send(1, 3 * FrameEncoder.CHUNK);
        channel.writeAndFlush(big);

        ByteBuf buf = channel.readOutbound();
        int hint = FrameEncoder.capacityFor(big);
        assertThat(buf.capacity()).as("allocated once at the hinted size").isBetween(hint, hint + 256);
        assertThat(decodeAll(buf)).containsExactly(big);
    }

    @Test
    void eachFramesPromiseCompletesWhenItsBufferIsWritten() {
        channel = new EmbeddedChannel(new FrameEncoder(MAX));
        ChannelFuture first = channel.write(send(1, 100));
        ChannelFuture second = channel.write(new Ok(1, 2, 3));
        channel.write(Heartbeat.INSTANCE, channel.voidPromise());
        assertThat(first.isDone()).isFalse();
        assertThat(second.isDone()).isFalse();

        channel.flush();
        assertThat(first.isSuccess()).isTrue();
        assertThat(second.isSuccess()).isTrue();
        assertThat(buffersOut()).hasSize(1);
    }

    @Test
    void aFailedWriteFailsEveryFrameInTheBuffer() {
        channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ReferenceCountUtil.release(msg);
                promise.setFailure(new IOException("connection reset"));
            }
        }, new FrameEncoder(MAX));
        ChannelFuture first = channel.write(send(1, 100));
        ChannelFuture second = channel.write(send(2, 100));
        channel.flush();

        assertThat(first.cause()).hasMessage("connection reset");
        assertThat(second.cause()).hasMessage("connection reset");
    }

    @Test
    void aFrameThatCannotBeEncodedFailsAtOnceAndTheOthersGoOutWhole() {
        channel = new EmbeddedChannel(new FrameEncoder(2048));
        Send before = send(1, 100);
        Send after = send(3, 100);
        channel.write(before);
        ChannelFuture tooLarge = channel.write(send(2, 4096));
        assertThat(tooLarge.cause()).isInstanceOf(EncoderException.class).hasCauseInstanceOf(ProtocolException.class);
        channel.write(after);
        channel.flush();

        assertThat(buffersOut()).containsExactly(List.of(before, after));
    }

    @Test
    void aFrameThatFailsHalfWrittenLeavesNoBytesBetweenTheOthers() {
        channel = new EmbeddedChannel(new FrameEncoder(MAX));
        Send before = send(1, 100);
        Send after = send(3, 100);
        Send unencodable = new Send(1, 2, new WireMessage(WireDestination.queue("q"), "ID:m-2", 0, null, null, null,
                false, 4, 0, 0, Map.of("odd", new Object()), BodyType.BYTES, new byte[10]));
        channel.write(before);
        ChannelFuture failed = channel.write(unencodable);
        assertThat(failed.cause()).isInstanceOf(EncoderException.class)
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        channel.write(after);
        channel.flush();

        assertThat(buffersOut()).containsExactly(List.of(before, after));
    }

    @Test
    void aLoneFrameThatCannotBeEncodedLeavesNoBufferBehind() {
        channel = new EmbeddedChannel(new FrameEncoder(2048));
        ChannelFuture tooLarge = channel.writeOneOutbound(send(1, 4096));
        channel.flush();

        assertThat(tooLarge.isSuccess()).isFalse();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void whatIsNotAFrameLeavesAfterTheFramesWrittenBeforeIt() {
        channel = new EmbeddedChannel(new FrameEncoder(MAX));
        Send frame = send(1, 100);
        channel.write(frame);
        channel.write(Unpooled.wrappedBuffer(new byte[] {42}));
        channel.flush();

        assertThat(decodeAll(channel.readOutbound())).containsExactly(frame);
        ByteBuf raw = channel.readOutbound();
        try {
            assertThat(raw.readByte()).isEqualTo((byte) 42);
        } finally {
            raw.release();
        }
    }

    @Test
    void aReplacedEncoderHandsOnWhatItHolds() {
        channel = new EmbeddedChannel();
        channel.pipeline().addLast("encoder", new FrameEncoder(MAX));
        Send held = send(1, 100);
        channel.write(held);
        channel.pipeline().replace("encoder", "encoder", new FrameEncoder(MAX / 2));
        channel.flush();

        assertThat(buffersOut()).containsExactly(List.of(held));
    }

    @Test
    void framesHeldAtACloseFailWithIt() {
        channel = new EmbeddedChannel(new FrameEncoder(MAX));
        ChannelFuture held = channel.write(send(1, 100));
        channel.close();

        assertThat(held.isDone()).isTrue();
        assertThat(held.isSuccess()).isFalse();
    }

    @Test
    void framesWrittenNowAndThroughThePipelineShareTheBufferInCallOrder() {
        channel = new EmbeddedChannel(new FrameEncoder(MAX));
        FrameEncoder encoder = FrameEncoder.in(channel.pipeline());
        Send first = send(1, 100);
        Send second = send(2, 100);
        Send third = send(3, 100);
        encoder.writeNow(first);
        ChannelFuture piped = channel.write(second);
        encoder.writeNow(third);
        assertThat((Object) channel.readOutbound()).as("nothing leaves before the flush").isNull();
        channel.flush();

        assertThat(piped.isSuccess()).isTrue();
        assertThat(buffersOut()).containsExactly(List.of(first, second, third));
    }

    @Test
    void aFrameWrittenNowThatCannotBeEncodedThrowsAndLeavesTheOthersWhole() {
        channel = new EmbeddedChannel(new FrameEncoder(2048));
        FrameEncoder encoder = FrameEncoder.in(channel.pipeline());
        Send before = send(1, 100);
        encoder.writeNow(before);
        assertThatThrownBy(() -> encoder.writeNow(send(2, 4096)))
                .isInstanceOf(EncoderException.class).hasCauseInstanceOf(ProtocolException.class);
        channel.flush();

        assertThat(buffersOut()).containsExactly(List.of(before));
    }

    @Test
    void nothingIsWrittenNowIntoAClosedChannelOrAReplacedEncoder() {
        channel = new EmbeddedChannel();
        channel.pipeline().addLast("encoder", new FrameEncoder(MAX));
        FrameEncoder replaced = FrameEncoder.in(channel.pipeline());
        channel.pipeline().replace("encoder", "encoder", new FrameEncoder(MAX));
        assertThat(replaced.isAdded()).isFalse();
        assertThatThrownBy(() -> replaced.writeNow(send(1, 10))).isInstanceOf(EncoderException.class);

        FrameEncoder current = FrameEncoder.in(channel.pipeline());
        assertThat(current.isAdded()).isTrue();
        channel.close();
        assertThatThrownBy(() -> current.writeNow(send(2, 10)))
                .isInstanceOf(EncoderException.class).hasCauseInstanceOf(ClosedChannelException.class);
    }
}
