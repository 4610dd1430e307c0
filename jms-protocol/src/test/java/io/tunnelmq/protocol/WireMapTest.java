package io.tunnelmq.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Maps of zero, one and many entries read back equal, in order and unmodifiable; bad maps are rejected. */
@Timeout(10)
class WireMapTest {

    private static Map<String, Object> roundTrip(Map<String, ?> map) {
        ByteBuf buf = Unpooled.buffer();
        Wire.writeMap(buf, map);
        Map<String, Object> back = Wire.readMap(buf);
        assertThat(buf.isReadable()).isFalse();
        return back;
    }

    @Test
    void mapsOfEverySizeRoundTrip() {
        assertThat(roundTrip(Map.of())).isEmpty();
        assertThat(roundTrip(Map.of("benchSentNanos", 123_456_789L))).containsExactly(
                Map.entry("benchSentNanos", 123_456_789L));
        assertThat(roundTrip(Collections.singletonMap("n", null))).containsKey("n").containsValue(null).hasSize(1);
        Map<String, Object> many = new LinkedHashMap<>();
        many.put("z", 1);
        many.put("a", null);
        many.put("m", "x");
        assertThat(roundTrip(many)).containsExactlyEntriesOf(many);
    }

    @Test
    void readMapsAreUnmodifiable() {
        for (Map<String, Object> back : new Map[] {roundTrip(Map.of("k", 1)), roundTrip(Map.of("a", 1, "b", 2))}) {
            assertThatThrownBy(() -> back.put("x", 2)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(back::clear).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void aNullKeyIsMalformedWhateverTheSize() {
        for (int count : new int[] {1, 2}) {
            ByteBuf buf = Unpooled.buffer();
            buf.writeInt(count);
            for (int i = 0; i < count; i++) {
                Wire.writeString(buf, null);
                Wire.writeValue(buf, 1);
            }
            assertThatThrownBy(() -> Wire.readMap(buf)).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("map key is null");
        }
    }

    @Test
    void aCountBeyondTheFrameIsMalformed() {
        ByteBuf buf = Unpooled.buffer().writeInt(1000);
        assertThatThrownBy(() -> Wire.readMap(buf)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("exceeds the frame");
        ByteBuf truncated = Unpooled.buffer().writeInt(1).writeInt(1).writeByte('k');
        assertThatThrownBy(() -> Wire.readMap(truncated)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aCountTheBytesCannotHoldIsMalformedBeforeTheMapIsSized() {
        ByteBuf buf = Unpooled.buffer().writeInt(1000).writeZero(4999); // 1,000 entries need at least 5,000 bytes
        assertThatThrownBy(() -> Wire.readMap(buf)).isInstanceOf(ProtocolException.class)
                .hasMessage("map of 1000 entries exceeds the frame");
        ByteBuf emptyKeysAndNulls = Unpooled.buffer().writeInt(2).writeInt(0).writeByte(0).writeInt(1).writeByte('k')
                .writeByte(0);
        assertThat(Wire.readMap(emptyKeysAndNulls)).containsOnlyKeys("", "k");
    }

    @Test
    void aKeyGivenTwiceIsMalformed() {
        // 100,000 empty keys in a 500 KB frame would otherwise hold a table sized for 100,000 behind one entry
        ByteBuf repeated = Unpooled.buffer().writeInt(100_000);
        for (int i = 0; i < 100_000; i++) {
            repeated.writeInt(0).writeByte(0);
        }
        assertThatThrownBy(() -> Wire.readMap(repeated)).isInstanceOf(ProtocolException.class)
                .hasMessage("map key '' appears twice");

        ByteBuf longKey = Unpooled.buffer().writeInt(2);
        for (int i = 0; i < 2; i++) {
            Wire.writeString(longKey, "k".repeat(1000));
            Wire.writeValue(longKey, i);
        }
        assertThatThrownBy(() -> Wire.readMap(longKey)).isInstanceOf(ProtocolException.class)
                .hasMessage("map key '" + "k".repeat(64) + "…' appears twice");
    }
}
