package io.tunnelmq.jms.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.protocol.Wire;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed corpus of {@link DeliveredMessageFuzzTest}: a Deliver body for every body type, with properties of every
 * type. Fails when a seed is missing; {@code -Dtunnelmq.writeSeeds=true} writes them.
 */
@Timeout(30)
class DeliveredMessageFuzzSeedsTest {
    private static final Path INPUTS = Path.of(
            "src/test/resources/io/tunnelmq/jms/message/DeliveredMessageFuzzTestInputs/deliverBody");

    @Test
    void everyBodyTypeIsASeed() throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("seed-text", deliver(BodyType.TEXT, "héllo ✓".getBytes(StandardCharsets.UTF_8)));
        seeds.put("seed-bytes", deliver(BodyType.BYTES, new byte[] {0, 1, 2, -1}));
        seeds.put("seed-map", deliver(BodyType.MAP, encoded(buf -> Wire.writeMap(buf, properties()))));
        seeds.put("seed-stream", deliver(BodyType.STREAM, encoded(buf -> {
            List<Object> values = new ArrayList<>(properties().values());
            buf.writeInt(values.size());
            values.forEach(v -> Wire.writeValue(buf, v));
        })));
        seeds.put("seed-object", deliver(BodyType.OBJECT, serialized(new ArrayList<>(List.of(1, "two", 3.0)))));
        seeds.put("seed-message", deliver(BodyType.MESSAGE, null));
        if (Boolean.getBoolean("tunnelmq.writeSeeds")) {
            Files.createDirectories(INPUTS);
            for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
                Files.write(INPUTS.resolve(seed.getKey()), seed.getValue());
            }
        }
        for (String name : seeds.keySet()) {
            assertThat(INPUTS.resolve(name)).as("seed %s (-Dtunnelmq.writeSeeds=true writes it)", name)
                    .isNotEmptyFile();
        }
    }

    private static Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("b", true);
        p.put("y", (byte) -3);
        p.put("s", (short) 300);
        p.put("i", 42);
        p.put("l", Long.MAX_VALUE);
        p.put("f", 1.5f);
        p.put("d", -2.25d);
        p.put("str", "12");
        p.put("c", 'x');
        p.put("bytes", new byte[] {1, 2, 3});
        p.put("nothing", null);
        return p;
    }

    private static byte[] deliver(BodyType type, byte[] body) {
        WireMessage message = new WireMessage(WireDestination.queue("orders"), "ID:1", 1L, "corr",
                new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.1"), "type", true, 4, 0, 0,
                properties(), type, body);
        return encoded(new Deliver(1, 2, 3L, 1, 4L, message)::writeBody);
    }

    private static byte[] encoded(java.util.function.Consumer<ByteBuf> writer) {
        ByteBuf buf = Unpooled.buffer();
        writer.accept(buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }

    private static byte[] serialized(Object o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }
}
