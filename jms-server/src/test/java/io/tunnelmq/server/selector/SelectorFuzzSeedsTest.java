package io.tunnelmq.server.selector;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.protocol.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed corpus of {@link SelectorFuzzTest}: selectors that use every construct, each with properties of every
 * type. Fails when a seed is missing; {@code -Dtunnelmq.writeSeeds=true} writes them.
 */
@Timeout(30)
class SelectorFuzzSeedsTest {
    private static final Path INPUTS =
            Path.of("src/test/resources/io/tunnelmq/server/selector/SelectorFuzzTestInputs/compileAndMatch");
    private static final List<String> SELECTORS = List.of(
            "color = 'red' AND size > 3",
            "JMSPriority > 4 OR kind LIKE 'a%_'",
            "name LIKE 'x\\_%' ESCAPE '\\'",
            "size BETWEEN 1 AND 9 AND NOT (weight NOT BETWEEN -2.5 AND 1E3)",
            "color IN ('red', 'green') OR color NOT IN ('blue')",
            "missing IS NULL AND color IS NOT NULL",
            "-size * 2 + weight / 3 - +1 >= 0.5",
            "flag = TRUE OR flag <> FALSE",
            "JMSDeliveryMode = 'PERSISTENT' AND JMSMessageID = 'ID:fuzz-1' AND JMSType = 'type'",
            "JMSCorrelationID = 'corr-1' AND JMSTimestamp > 0 AND JMSXDeliveryCount >= 2",
            "size = 5 AND (color = 'red' OR (kind = 'abc' AND NOT flag))",
            "l = -9223372036854775808 OR d = 1.5e-3 OR c = 'x' OR b = 1");

    @Test
    void everySelectorIsASeed() throws IOException {
        if (Boolean.getBoolean("tunnelmq.writeSeeds")) {
            Files.createDirectories(INPUTS);
            for (int i = 0; i < SELECTORS.size(); i++) {
                Files.write(INPUTS.resolve("seed-" + i), seed(SELECTORS.get(i)));
            }
        }
        for (int i = 0; i < SELECTORS.size(); i++) {
            assertThat(INPUTS.resolve("seed-" + i)).as("seed %s (-Dtunnelmq.writeSeeds=true writes it)", i)
                    .isNotEmptyFile();
        }
    }

    private static byte[] seed(String selector) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("color", "red");
        properties.put("size", 5);
        properties.put("weight", 2.5d);
        properties.put("kind", "abc");
        properties.put("name", "x_1");
        properties.put("flag", true);
        properties.put("l", Long.MIN_VALUE);
        properties.put("d", 1.5e-3f);
        properties.put("c", 'x');
        properties.put("b", (byte) 1);
        properties.put("s", (short) 7);
        properties.put("bytes", new byte[] {1, 2});
        properties.put("nothing", null);
        ByteBuf buf = Unpooled.buffer().writeBytes(selector.getBytes(StandardCharsets.UTF_8)).writeByte(0).writeByte(1);
        Wire.writeMap(buf, properties);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }
}
