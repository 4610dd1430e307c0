package io.tunnelmq.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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

/** The encoder's room for a frame holds it from the start, so its buffer need not grow. */
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
}
