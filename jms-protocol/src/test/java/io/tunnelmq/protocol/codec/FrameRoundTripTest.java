package io.tunnelmq.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.FrameType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class FrameRoundTripTest {

    @Test
    void everyFrameTypeHasASample() {
        Set<FrameType> missing = EnumSet.allOf(FrameType.class);
        missing.removeAll(SampleFrames.all().keySet());
        assertThat(missing).as("frame types without a round-trip sample").isEmpty();
    }

    @Test
    void everySampleSurvivesARoundTrip() {
        for (Map.Entry<FrameType, List<Frame>> e : SampleFrames.all().entrySet()) {
            for (Frame frame : e.getValue()) {
                assertThat(frame.type()).isEqualTo(e.getKey());
                ByteBuf buf = Unpooled.buffer();
                FrameEncoder.encode(frame, buf, Protocol.DEFAULT_MAX_FRAME_SIZE);
                assertThat(buf.getInt(0)).isEqualTo(buf.readableBytes() - Protocol.LENGTH_FIELD_SIZE);
                Frame decoded = FrameDecoder.decode(buf, Protocol.DEFAULT_MAX_FRAME_SIZE);
                assertThat(decoded).as("round trip of %s", frame).isEqualTo(frame);
                assertThat(buf.isReadable()).isFalse();
                buf.release();
            }
        }
    }

    @Test
    void framesFromAnOlderPeerWithoutTrailingOptionalFieldsStillDecode() {
        ByteBuf credit = Unpooled.buffer().writeInt(5 + 8).writeByte(FrameType.CREDIT.code()).writeInt(1)
                .writeInt(2).writeInt(3);
        assertThat(FrameDecoder.decode(credit, Protocol.DEFAULT_MAX_FRAME_SIZE))
                .isEqualTo(new io.tunnelmq.protocol.frame.Credit(1, 2, 3, 0));
        io.tunnelmq.protocol.frame.Welcome full = new io.tunnelmq.protocol.frame.Welcome(1, "c", 0, 10, 4096, "v", 99);
        ByteBuf welcome = Unpooled.buffer();
        FrameEncoder.encode(full, welcome, Protocol.DEFAULT_MAX_FRAME_SIZE);
        welcome.writerIndex(welcome.writerIndex() - Long.BYTES);
        welcome.setInt(0, welcome.readableBytes() - Protocol.LENGTH_FIELD_SIZE);
        assertThat(FrameDecoder.decode(welcome, Protocol.DEFAULT_MAX_FRAME_SIZE))
                .isEqualTo(new io.tunnelmq.protocol.frame.Welcome(1, "c", 0, 10, 4096, "v", 0));
    }

    @Test
    void creditAndErrorFramesWithoutTheirNewestTrailingFieldsStillDecode() {
        ByteBuf credit = Unpooled.buffer().writeInt(5 + 16).writeByte(FrameType.CREDIT.code()).writeInt(1)
                .writeInt(2).writeInt(3).writeLong(40);
        assertThat(FrameDecoder.decode(credit, Protocol.DEFAULT_MAX_FRAME_SIZE))
                .isEqualTo(new io.tunnelmq.protocol.frame.Credit(1, 2, 3, 40, 0));
        io.tunnelmq.protocol.frame.ErrorFrame error = new io.tunnelmq.protocol.frame.ErrorFrame(1, 5,
                io.tunnelmq.protocol.ErrorCode.LOCK_EXPIRED, "gone");
        ByteBuf buf = Unpooled.buffer();
        FrameEncoder.encode(error, buf, Protocol.DEFAULT_MAX_FRAME_SIZE);
        buf.writerIndex(buf.writerIndex() - Integer.BYTES); // an older peer writes no token array
        buf.setInt(0, buf.readableBytes() - Protocol.LENGTH_FIELD_SIZE);
        assertThat(FrameDecoder.decode(buf, Protocol.DEFAULT_MAX_FRAME_SIZE)).isEqualTo(error);
    }

    @Test
    void browseFramesWithoutTheirCursorStillDecode() {
        io.tunnelmq.protocol.frame.Browse browse = new io.tunnelmq.protocol.frame.Browse(1, 5,
                io.tunnelmq.protocol.message.WireDestination.queue("q"), null, 7, 10, 99);
        assertThat(FrameDecoder.decode(withoutTrailingLong(browse), Protocol.DEFAULT_MAX_FRAME_SIZE))
                .isEqualTo(new io.tunnelmq.protocol.frame.Browse(1, 5,
                        io.tunnelmq.protocol.message.WireDestination.queue("q"), null, 7, 10));
        io.tunnelmq.protocol.frame.Browsed browsed = new io.tunnelmq.protocol.frame.Browsed(1, 5, 64,
                java.util.List.of(), false, 99);
        assertThat(FrameDecoder.decode(withoutTrailingLong(browsed), Protocol.DEFAULT_MAX_FRAME_SIZE))
                .isEqualTo(new io.tunnelmq.protocol.frame.Browsed(1, 5, 64, java.util.List.of(), false));
    }

    @Test
    void aSendWithoutAStampFromAnOlderPeerDecodesWithoutOne() {
        io.tunnelmq.protocol.frame.Send stamped = new io.tunnelmq.protocol.frame.Send(1, 5,
                SampleFrames.fullMessage(), new io.tunnelmq.protocol.message.ProducerStamp(
                        java.util.UUID.randomUUID(), 7));
        ByteBuf buf = Unpooled.buffer();
        FrameEncoder.encode(stamped, buf, Protocol.DEFAULT_MAX_FRAME_SIZE);
        buf.writerIndex(buf.writerIndex() - 3 * Long.BYTES); // an older peer writes no stamp
        buf.setInt(0, buf.readableBytes() - Protocol.LENGTH_FIELD_SIZE);
        assertThat(FrameDecoder.decode(buf, Protocol.DEFAULT_MAX_FRAME_SIZE))
                .isEqualTo(new io.tunnelmq.protocol.frame.Send(1, 5, SampleFrames.fullMessage()));
    }

    @Test
    void aProducerStampNeedsAPositiveSequence() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new io.tunnelmq.protocol.message.ProducerStamp(
                java.util.UUID.randomUUID(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void framesWithoutSeenIdsOrPeersAreWhatAnOlderPeerWritesAndReads() {
        io.tunnelmq.protocol.frame.CreateConsumer plain = new io.tunnelmq.protocol.frame.CreateConsumer(1, 5, 2,
                io.tunnelmq.protocol.message.WireDestination.queue("q"), null, false, null, false, false, 10, 64);
        io.tunnelmq.protocol.frame.CreateConsumer withNoSeen = new io.tunnelmq.protocol.frame.CreateConsumer(1, 5, 2,
                io.tunnelmq.protocol.message.WireDestination.queue("q"), null, false, null, false, false, 10, 64,
                List.of());
        assertThat(encoded(withNoSeen)).isEqualTo(encoded(plain));
        ByteBuf older = Unpooled.wrappedBuffer(encoded(plain));
        older.writerIndex(older.writerIndex() - Long.BYTES); // and one older still: no byte credit either
        older.setInt(0, older.readableBytes() - Protocol.LENGTH_FIELD_SIZE);
        assertThat(FrameDecoder.decode(older, Protocol.DEFAULT_MAX_FRAME_SIZE))
                .isEqualTo(new io.tunnelmq.protocol.frame.CreateConsumer(1, 5, 2,
                        io.tunnelmq.protocol.message.WireDestination.queue("q"), null, false, null, false, false, 10));
        io.tunnelmq.protocol.frame.Welcome noPeers = new io.tunnelmq.protocol.frame.Welcome(1, "c", 0, 10, 4096, "v",
                99, List.of());
        assertThat(encoded(noPeers)).isEqualTo(encoded(new io.tunnelmq.protocol.frame.Welcome(1, "c", 0, 10, 4096,
                "v", 99)));
    }

    @Test
    void aStringListThatClaimsMoreEntriesThanTheFrameHoldsIsMalformed() {
        ByteBuf buf = Unpooled.wrappedBuffer(encoded(new io.tunnelmq.protocol.frame.Welcome(1, "c", 0, 10, 4096, "v",
                99, List.of("h:1"))));
        int countIndex = buf.writerIndex() - (4 + 4 + 3);
        buf.setInt(countIndex, 1_000_000);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FrameDecoder.decode(buf,
                        Protocol.DEFAULT_MAX_FRAME_SIZE)).isInstanceOf(io.tunnelmq.protocol.ProtocolException.class)
                .hasMessageContaining("string list");
    }

    private static byte[] encoded(Frame frame) {
        ByteBuf buf = Unpooled.buffer();
        FrameEncoder.encode(frame, buf, Protocol.DEFAULT_MAX_FRAME_SIZE);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }

    /** The frame as a peer writes it that does not know its trailing long field. */
    private static ByteBuf withoutTrailingLong(io.tunnelmq.protocol.frame.Frame frame) {
        ByteBuf buf = Unpooled.buffer();
        FrameEncoder.encode(frame, buf, Protocol.DEFAULT_MAX_FRAME_SIZE);
        buf.writerIndex(buf.writerIndex() - Long.BYTES);
        buf.setInt(0, buf.readableBytes() - Protocol.LENGTH_FIELD_SIZE);
        return buf;
    }

    @Test
    void partialInputYieldsNothingUntilTheFrameIsComplete() {
        ByteBuf whole = Unpooled.buffer();
        FrameEncoder.encode(SampleFrames.all().get(FrameType.SEND).get(0), whole, Protocol.DEFAULT_MAX_FRAME_SIZE);
        ByteBuf partial = Unpooled.buffer();
        while (whole.readableBytes() > 1) {
            partial.writeByte(whole.readByte());
            assertThat(FrameDecoder.decode(partial, Protocol.DEFAULT_MAX_FRAME_SIZE)).isNull();
        }
        partial.writeByte(whole.readByte());
        assertThat(FrameDecoder.decode(partial, Protocol.DEFAULT_MAX_FRAME_SIZE)).isNotNull();
    }
}
