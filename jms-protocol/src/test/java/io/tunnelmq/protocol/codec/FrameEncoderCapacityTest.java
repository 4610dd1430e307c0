package io.tunnelmq.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Browsed;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The encoder allocates a buffer that holds a message frame from the start instead of growing it. */
@Timeout(10)
class FrameEncoderCapacityTest {

    private static int encodedSize(Frame frame) {
        ByteBuf buf = Unpooled.buffer();
        FrameEncoder.encode(frame, buf, Protocol.DEFAULT_MAX_FRAME_SIZE);
        return buf.readableBytes();
    }

    private static WireMessage kibMessage() {
        return new WireMessage(WireDestination.queue("bench"), "ID:0123456789abcdef-1", 1_700_000_000_000L, null,
                null, null, false, 4, 0, 1_700_000_000_000L, Map.of("benchSentNanos", 123_456_789L),
                BodyType.BYTES, new byte[1024]);
    }

    @Test
    void everySampleFrameFitsTheCapacityItIsGiven() {
        SampleFrames.all().values().stream().flatMap(List::stream).forEach(frame ->
                assertThat(FrameEncoder.capacityFor(frame)).as("capacity for %s", frame)
                        .isGreaterThanOrEqualTo(encodedSize(frame)));
    }

    @Test
    void messageFramesGetRoomForTheirMessage() {
        WireMessage m = kibMessage();
        Send send = new Send(1, 7, m);
        Deliver deliver = new Deliver(1, 2, 3L, 1, 0, m);
        Browsed browsed = new Browsed(1, 8, 0, List.of(m, m, m), true);
        assertThat(FrameEncoder.capacityFor(send)).isBetween(encodedSize(send), encodedSize(send) + 256);
        assertThat(FrameEncoder.capacityFor(deliver)).isBetween(encodedSize(deliver), encodedSize(deliver) + 256);
        assertThat(FrameEncoder.capacityFor(browsed)).isGreaterThanOrEqualTo(encodedSize(browsed));
    }

    @Test
    void aMessageFrameIsEncodedIntoOneBufferThatNeverGrew() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder(Protocol.DEFAULT_MAX_FRAME_SIZE));
        try {
            Send send = new Send(1, 7, kibMessage());
            assertThat(channel.writeOutbound(send)).isTrue();
            ByteBuf out = channel.readOutbound();
            try {
                assertThat(out.readableBytes()).isEqualTo(encodedSize(send));
                // grown from Netty's default of 256 bytes it would be 2048 bytes by now
                int hint = FrameEncoder.capacityFor(send);
                assertThat(out.capacity()).as("allocated once at the hinted size").isBetween(hint, hint + 256);
                assertThat(FrameDecoder.decode(out, Protocol.DEFAULT_MAX_FRAME_SIZE)).isEqualTo(send);
            } finally {
                out.release();
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
