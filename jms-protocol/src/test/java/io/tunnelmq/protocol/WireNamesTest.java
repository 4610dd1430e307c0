package io.tunnelmq.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Names read through {@link RecentNames} read as strings do, and a name read again is the same object. */
@Timeout(10)
class WireNamesTest {

    private static ByteBuf written(String... names) {
        ByteBuf buf = Unpooled.buffer();
        for (String name : names) {
            Wire.writeString(buf, name);
        }
        return buf;
    }

    @Test
    void aNameReadAgainIsTheSameString() {
        ByteBuf buf = written("orders.eu", "orders.eu", "orders.us", null);
        String first = Wire.readName(buf);
        String again = Wire.readName(buf);
        String other = Wire.readName(buf);
        assertThat(first).isEqualTo("orders.eu").isSameAs(again);
        assertThat(other).isEqualTo("orders.us");
        assertThat(Wire.readName(buf)).isNull();
        assertThat(buf.isReadable()).isFalse();
    }

    @Test
    void namesThatShareASlotReadBackAsWritten() {
        // far more names than slots, of equal lengths: many share a slot and replace each other
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            names.add(String.format("queue.%06d", i));
        }
        for (int round = 0; round < 2; round++) {
            ByteBuf buf = written(names.toArray(String[]::new));
            for (String name : names) {
                assertThat(Wire.readName(buf)).isEqualTo(name);
            }
            assertThat(buf.isReadable()).isFalse();
        }
    }

    @Test
    void longAndNonAsciiNamesReadAsStringsDo() {
        String longName = "x".repeat(RecentNames.MAX_BYTES + 1);
        String accented = "file.ñandú.东京";
        ByteBuf buf = written(longName, accented, accented, "");
        assertThat(Wire.readName(buf)).isEqualTo(longName);
        assertThat(Wire.readName(buf)).isEqualTo(accented);
        assertThat(Wire.readName(buf)).isEqualTo(accented);
        assertThat(Wire.readName(buf)).isEmpty();
    }

    @Test
    void malformedUtf8ReadsAsReadStringReadsIt() {
        byte[] bad = {'a', (byte) 0xC3, 'b', (byte) 0xFF};
        ByteBuf buf = Unpooled.buffer().writeInt(bad.length).writeBytes(bad).writeInt(bad.length).writeBytes(bad);
        assertThat(Wire.readName(buf)).isEqualTo(Wire.readString(buf))
                .isEqualTo(new String(bad, StandardCharsets.UTF_8));
    }

    @Test
    void aNameLongerThanTheBytesLeftIsMalformed() {
        ByteBuf buf = Unpooled.buffer().writeInt(20).writeBytes("short".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> Wire.readName(buf)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("exceeds the 5 bytes left");
    }

    @Test
    void propertyNamesAndDestinationsAreShared() {
        ByteBuf buf = Unpooled.buffer();
        for (int i = 0; i < 2; i++) {
            Wire.writeMap(buf, Map.of("sentAt", i));
            WireDestination.queue("orders").write(buf);
        }
        Map<String, Object> first = Wire.readMap(buf);
        WireDestination d1 = WireDestination.read(buf);
        Map<String, Object> second = Wire.readMap(buf);
        WireDestination d2 = WireDestination.read(buf);
        assertThat(second.keySet().iterator().next()).isSameAs(first.keySet().iterator().next());
        assertThat(second).containsEntry("sentAt", 1);
        assertThat(d1).isEqualTo(WireDestination.queue("orders")).isSameAs(d2);
        ByteBuf topic = Unpooled.buffer();
        WireDestination.topic("orders").write(topic);
        assertThat(WireDestination.read(topic)).isEqualTo(WireDestination.topic("orders"));
    }
}
