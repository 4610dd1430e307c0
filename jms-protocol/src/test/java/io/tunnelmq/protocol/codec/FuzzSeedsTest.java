package io.tunnelmq.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.FrameType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fuzz tests' seed corpus: every sample frame of every type ({@link SampleFrames}), as a whole stream for
 * {@link FrameDecoderFuzzTest} and as a body for {@link FrameBodyFuzzTest}. Fails when a seed is missing (a new frame type
 * or sample); {@code -Dtunnelmq.writeSeeds=true} rewrites them. Inputs the fuzzer
 * found lie next to the seeds under other names and are left alone.
 */
@Timeout(30)
class FuzzSeedsTest {
    private static final Path INPUTS = Path.of("src/test/resources/io/tunnelmq/protocol/codec");

    @Test
    void everySampleFrameIsASeedOfTheDecoderFuzzTest() throws IOException {
        check(INPUTS.resolve("FrameDecoderFuzzTestInputs/bytesInAnySplit"), decoderSeeds());
    }

    @Test
    void everySampleFrameIsASeedOfTheBodyFuzzTest() throws IOException {
        check(INPUTS.resolve("FrameBodyFuzzTestInputs/everyFrameBody"), bodySeeds());
    }

    /** A split seed byte, then the frame; then all frames in one stream, and a few ways to break a stream. */
    private static Map<String, byte[]> decoderSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        ByteBuf everything = Unpooled.buffer().writeByte(7);
        for (Map.Entry<FrameType, List<Frame>> e : SampleFrames.all().entrySet()) {
            for (int i = 0; i < e.getValue().size(); i++) {
                ByteBuf buf = Unpooled.buffer().writeByte(i);
                FrameEncoder.encode(e.getValue().get(i), buf, Integer.MAX_VALUE);
                seeds.put("seed-" + e.getKey() + "-" + i, bytes(buf));
                FrameEncoder.encode(e.getValue().get(i), everything, Integer.MAX_VALUE);
            }
        }
        seeds.put("seed-every-frame", bytes(everything));
        seeds.put("seed-oversized", bytes(Unpooled.buffer().writeByte(0).writeInt(16 << 20).writeByte(20)));
        seeds.put("seed-unknown-type", bytes(Unpooled.buffer().writeByte(0).writeInt(5).writeByte(250).writeInt(0)));
        seeds.put("seed-negative-channel", bytes(Unpooled.buffer().writeByte(0).writeInt(5).writeByte(3).writeInt(-1)));
        return seeds;
    }

    /** The type's index, a channel byte, the body. */
    private static Map<String, byte[]> bodySeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (Map.Entry<FrameType, List<Frame>> e : SampleFrames.all().entrySet()) {
            for (int i = 0; i < e.getValue().size(); i++) {
                Frame frame = e.getValue().get(i);
                ByteBuf buf = Unpooled.buffer().writeByte(e.getKey().ordinal()).writeByte(Math.max(0, frame.channel() - 1));
                frame.writeBody(buf);
                seeds.put("seed-" + e.getKey() + "-" + i, bytes(buf));
            }
        }
        return seeds;
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }

    static void check(Path dir, Map<String, byte[]> seeds) throws IOException {
        if (Boolean.getBoolean("tunnelmq.writeSeeds")) {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
                Files.write(dir.resolve(seed.getKey()), seed.getValue());
            }
        }
        for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
            Path file = dir.resolve(seed.getKey());
            // present, not byte-equal: some samples are random (a producer id), and any valid frame seeds well
            assertThat(file).as("seed %s (run with -Dtunnelmq.writeSeeds=true to write it)", file).isNotEmptyFile();
        }
    }
}
