package io.tunnelmq.protocol.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.FrameType;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the body of every frame type: the first input byte picks the type, the second the channel (one the type
 * may travel on), the rest is the body. A body is either refused the ways {@link FrameDecoder} turns into a
 * {@link ProtocolException} — that exception itself, a read past the end ({@link IndexOutOfBoundsException}) or a
 * value the record refuses ({@link IllegalArgumentException}) — or it is a frame that encodes and decodes back to
 * an equal frame. Anything else (a NullPointerException, an endless loop, an allocation the size of an announced
 * length) is a finding. Seeds: {@code FrameBodyFuzzTestInputs} (see {@link FuzzSeedsTest}).
 */
class FrameBodyFuzzTest {
    private static final FrameType[] TYPES = FrameType.values();

    @FuzzTest
    @Timeout(10)
    void everyFrameBody(byte[] input) {
        if (input.length < 2) {
            return;
        }
        FrameType type = TYPES[Byte.toUnsignedInt(input[0]) % TYPES.length];
        int channel = channel(type, input[1]);
        ByteBuf body = Unpooled.wrappedBuffer(input, 2, input.length - 2);
        Frame frame;
        try {
            frame = type.read(channel, body);
        } catch (ProtocolException | IndexOutOfBoundsException | IllegalArgumentException refused) {
            assertAllocationBounded(type, channel, input);
            return;
        }
        assertAllocationBounded(type, channel, input);
        assertThat(frame.type()).isEqualTo(type);
        assertThat(frame.channel()).isEqualTo(channel);
        if (body.isReadable()) {
            return; // the decoder refuses trailing bytes; what was read is still a valid frame, checked above
        }
        ByteBuf again = Unpooled.buffer();
        FrameEncoder.encode(frame, again, Integer.MAX_VALUE);
        Frame decoded = FrameDecoder.decode(again, Integer.MAX_VALUE);
        assertThat(again.isReadable()).isFalse();
        again.release();
        // field by field (arrays by content, maps by key): a map's order on the wire is not part of its value
        assertThat(decoded).as("%s encoded and decoded again", type).usingRecursiveComparison()
                .withEqualsForType(Double::equals, Double.class).withEqualsForType(Float::equals, Float.class) // NaN
                .isEqualTo(frame);
    }

    /** Reads the body again, counting: the first read may have loaded (and instrumented) classes. */
    private static void assertAllocationBounded(FrameType type, int channel, byte[] input) {
        Allocations allocations = Allocations.start();
        try {
            type.read(channel, Unpooled.wrappedBuffer(input, 2, input.length - 2));
        } catch (RuntimeException refused) {
            // seen on the first read
        }
        allocations.assertBoundedBy(input.length);
    }

    /** A channel the type may travel on, so the body is what gets fuzzed, not the scope check. */
    static int channel(FrameType type, byte b) {
        return switch (type.scope()) {
            case CONTROL -> Protocol.CONTROL_CHANNEL;
            case SESSION -> 1 + (b & 0x7f);
            case ANY -> b & 0x7f;
        };
    }
}
