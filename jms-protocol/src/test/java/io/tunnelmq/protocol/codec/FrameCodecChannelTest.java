package io.tunnelmq.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.frame.Commit;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.FrameType;
import io.tunnelmq.protocol.frame.Heartbeat;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class FrameCodecChannelTest {
    private static final int MAX = 1024;

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new FrameDecoder(MAX), new FrameEncoder(MAX));
    }

    private static ByteBuf header(int length, int type, int channel) {
        return Unpooled.buffer().writeInt(length).writeByte(type).writeInt(channel);
    }

    @Test
    void framesPassThroughInOrderAcrossChannels() {
        EmbeddedChannel ch = channel();
        Frame a = new Ok(0, 1, 10);
        Frame b = new Commit(3, 2);
        Frame c = Heartbeat.INSTANCE;
        assertThat(ch.writeOutbound(a, b, c)).isTrue();
        ByteBuf wire = Unpooled.buffer();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            wire.writeBytes((ByteBuf) o);
            ((ByteBuf) o).release();
        }
        // deliver the bytes in two arbitrary pieces: the decoder must reassemble
        ch.writeInbound(wire.readRetainedSlice(7));
        ch.writeInbound(wire.readRetainedSlice(wire.readableBytes()));
        assertThat((Object) ch.readInbound()).isEqualTo(a);
        assertThat((Object) ch.readInbound()).isEqualTo(b);
        assertThat((Object) ch.readInbound()).isEqualTo(c);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void oversizedFrameIsRejectedBeforeItsBodyArrives() {
        EmbeddedChannel ch = channel();
        assertProtocolError(() -> ch.writeInbound(header(MAX * 10, FrameType.HEARTBEAT.code(), 0)),
                ErrorCode.FRAME_TOO_LARGE);
    }

    @Test
    void unknownFrameTypeIsRejected() {
        EmbeddedChannel ch = channel();
        assertProtocolError(() -> ch.writeInbound(header(5, 200, 0)), ErrorCode.UNKNOWN_FRAME_TYPE);
    }

    @Test
    void lengthBelowHeaderIsMalformed() {
        EmbeddedChannel ch = channel();
        assertProtocolError(() -> ch.writeInbound(Unpooled.buffer().writeInt(2).writeShort(0)),
                ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void truncatedBodyIsMalformed() {
        EmbeddedChannel ch = channel();
        // an OK frame needs 16 body bytes; give it 3
        ByteBuf buf = header(5 + 3, FrameType.OK.code(), 0).writeByte(1).writeByte(2).writeByte(3);
        assertProtocolError(() -> ch.writeInbound(buf), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void trailingBytesAreMalformed() {
        EmbeddedChannel ch = channel();
        ByteBuf buf = header(5 + 1, FrameType.HEARTBEAT.code(), 0).writeByte(9);
        assertProtocolError(() -> ch.writeInbound(buf), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void invalidFieldIsMalformed() {
        EmbeddedChannel ch = channel();
        // an OK frame with request id 0 violates the record's constraint
        ByteBuf buf = header(5 + 16, FrameType.OK.code(), 0).writeLong(0).writeLong(5);
        assertProtocolError(() -> ch.writeInbound(buf), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void stringLongerThanTheFrameIsMalformed() {
        EmbeddedChannel ch = channel();
        ByteBuf buf = header(5 + 8 + 2 + 4, FrameType.ERROR.code(), 0).writeLong(1).writeShort(1).writeInt(1_000_000);
        assertProtocolError(() -> ch.writeInbound(buf), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void aFieldCannotReachIntoTheNextFrame() {
        EmbeddedChannel ch = channel();
        // an ERROR frame whose message claims 12 bytes but carries 2, then a heartbeat: the 12 are in the buffer, not
        // in the frame
        ByteBuf buf = header(5 + 8 + 2 + 4 + 2, FrameType.ERROR.code(), 0).writeLong(1).writeShort(1).writeInt(12)
                .writeShort(0x4142);
        buf.writeBytes(header(5, FrameType.HEARTBEAT.code(), 0)).writeBytes(header(5, FrameType.HEARTBEAT.code(), 0));
        assertThatThrownBy(() -> ch.writeInbound(buf)).isInstanceOf(DecoderException.class).cause()
                .isInstanceOf(ProtocolException.class).hasMessageContaining("exceeds the 2 bytes left in the frame");
    }

    @Test
    void sessionFrameOnControlChannelIsMalformed() {
        EmbeddedChannel ch = channel();
        ByteBuf buf = header(5 + 8, FrameType.COMMIT.code(), 0).writeLong(1);
        assertProtocolError(() -> ch.writeInbound(buf), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void controlFrameOnSessionChannelIsMalformed() {
        EmbeddedChannel ch = channel();
        assertProtocolError(() -> ch.writeInbound(header(5, FrameType.HEARTBEAT.code(), 4)), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void helloWithoutMagicIsAProtocolViolation() {
        EmbeddedChannel ch = channel();
        ByteBuf buf = Unpooled.buffer();
        FrameEncoder.encode(new Hello(Protocol.VERSION, null, null, null, 0, Map.of()), buf, MAX);
        buf.setInt(Protocol.HEADER_SIZE, 0x47455420); // "GET "
        assertProtocolError(() -> ch.writeInbound(buf), ErrorCode.PROTOCOL_VIOLATION);
    }

    @Test
    void afterAnErrorFurtherInputIsDiscarded() {
        EmbeddedChannel ch = channel();
        assertProtocolError(() -> ch.writeInbound(header(5, 200, 0)), ErrorCode.UNKNOWN_FRAME_TYPE);
        ByteBuf good = Unpooled.buffer();
        FrameEncoder.encode(Heartbeat.INSTANCE, good, MAX);
        ch.writeInbound(good);
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void encoderRefusesAnOversizedFrameAndWritesNothing() {
        EmbeddedChannel ch = channel();
        WireMessage big = new WireMessage(WireDestination.queue("q"), null, 0, null, null, null, false, 4, 0, 0,
                null, BodyType.BYTES, new byte[MAX]);
        assertThatThrownBy(() -> ch.writeOutbound(new Send(1, 1, big)))
                .isInstanceOf(EncoderException.class)
                .hasCauseInstanceOf(ProtocolException.class);
        assertThat((Object) ch.readOutbound()).isNull();
    }

    private static void assertProtocolError(Runnable action, ErrorCode expected) {
        assertThatThrownBy(action::run)
                .isInstanceOf(DecoderException.class)
                .cause()
                .isInstanceOf(ProtocolException.class)
                .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo(expected));
    }
}
