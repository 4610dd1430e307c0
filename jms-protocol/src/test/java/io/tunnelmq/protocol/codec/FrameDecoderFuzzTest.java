package io.tunnelmq.protocol.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.frame.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the frame decoder with whatever a peer can send, cut into any pieces: the first input byte seeds the
 * split, the rest is the byte stream. The decoder must yield the same frames and the same verdict (a
 * {@link ProtocolException} or none) for every split as for the whole stream at once, raise nothing else, release
 * every buffer it was given and allocate in proportion to the bytes it got, never to the lengths they announce.
 * Seeds: {@code FrameDecoderFuzzTestInputs} (see {@link FuzzSeedsTest}); JAZZER_FUZZ=1 fuzzes.
 */
class FrameDecoderFuzzTest {
    static final int MAX_FRAME = 64 * 1024;

    @BeforeAll
    static void watchLeaks() {
        LeakWatch.start();
    }

    @AfterAll
    static void noLeaks() {
        LeakWatch.assertNoLeaks();
    }

    /** What the decoder made of a stream: every frame (re-encoded, so records compare by bytes) and its verdict. */
    record Outcome(List<String> frames, ErrorCode error) {
    }

    @FuzzTest
    @Timeout(10)
    void bytesInAnySplit(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        Outcome whole = whole(stream);
        // measured on a second pass: the first may load (and instrument) classes; the split pass is not measured,
        // as PARANOID leak tracking records a stack trace per buffer
        Allocations allocations = Allocations.start();
        whole(stream);
        allocations.assertBoundedBy(input.length);
        assertThat(split(stream, new Random(input[0]))).isEqualTo(whole);
    }

    private static Outcome whole(byte[] stream) {
        ByteBuf in = Unpooled.wrappedBuffer(stream);
        List<String> frames = new ArrayList<>();
        try {
            for (Frame frame = FrameDecoder.decode(in, MAX_FRAME); frame != null;
                 frame = FrameDecoder.decode(in, MAX_FRAME)) {
                frames.add(encoded(frame));
            }
            return new Outcome(frames, null);
        } catch (ProtocolException e) {
            return new Outcome(frames, e.code());
        }
    }

    private static Outcome split(byte[] stream, Random cuts) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME));
        List<ByteBuf> given = new ArrayList<>();
        List<String> frames = new ArrayList<>();
        ErrorCode error = null;
        for (int at = 0; at < stream.length; ) {
            int left = stream.length - at;
            int piece = cuts.nextInt(4) == 0 ? 1 : 1 + cuts.nextInt(Math.min(left, 64));
            piece = Math.min(piece, left);
            ByteBuf chunk = Unpooled.buffer(piece).writeBytes(stream, at, piece);
            given.add(chunk);
            at += piece;
            try {
                channel.writeInbound(chunk);
            } catch (DecoderException e) {
                assertThat(error).as("a second error after the first").isNull();
                assertThat(e.getCause()).isInstanceOf(ProtocolException.class);
                error = ((ProtocolException) e.getCause()).code();
            }
            for (Frame frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
                frames.add(encoded(frame));
            }
        }
        assertThat(channel.finish()).as("nothing decoded at the end of the stream").isFalse();
        for (ByteBuf chunk : given) {
            assertThat(chunk.refCnt()).as("a buffer the decoder got was released").isZero();
        }
        return new Outcome(frames, error);
    }

    static String encoded(Frame frame) {
        ByteBuf buf = Unpooled.buffer();
        FrameEncoder.encode(frame, buf, Integer.MAX_VALUE);
        String hex = ByteBufUtil.hexDump(buf);
        buf.release();
        return hex;
    }
}
