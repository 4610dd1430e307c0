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
