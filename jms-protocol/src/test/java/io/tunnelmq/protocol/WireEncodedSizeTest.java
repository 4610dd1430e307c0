package io.tunnelmq.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exact encoded sizes of typed values and maps, and strings written into buffers of exactly that size. */
@Timeout(10)
class WireEncodedSizeTest {
    private static final String AWKWARD = "ascii ünïcode ✓ \uD83D\uDE00 lone \uD800 end \uDC00";

    private static final List<Object> VALUES = Arrays.asList(null, true, (byte) 1, (short) 2, 'ü', 3, 4L, 5f, 6d,
            "", "plain", AWKWARD, new byte[0], new byte[] {1, 2, 3});

    @Test
    void everyValueTakesExactlyItsEncodedSize() {
        for (Object value : VALUES) {
            ByteBuf growable = Unpooled.buffer();
            Wire.writeValue(growable, value);
            assertThat(Wire.encodedValueSize(value)).as("size of %s", value).isEqualTo(growable.readableBytes());

            ByteBuf exact = Unpooled.wrappedBuffer(new byte[Wire.encodedValueSize(value)]).clear();
            Wire.writeValue(exact, value);
            assertThat(exact.writableBytes()).isZero();
            assertThat(exact).as("bytes of %s", value).isEqualTo(growable);
        }
    }

    @Test
    void aMapTakesExactlyItsEncodedSizeAndReadsBack() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < VALUES.size(); i++) {
            map.put("key " + i + (i % 3 == 0 ? " ✓" : ""), VALUES.get(i));
        }
        int size = Wire.encodedMapSize(map);
        ByteBuf exact = Unpooled.wrappedBuffer(new byte[size]).clear();
        Wire.writeMap(exact, map);
        assertThat(exact.writableBytes()).isZero();

        Map<String, Object> back = Wire.readMap(exact);
        assertThat(back.keySet()).containsExactlyElementsOf(map.keySet());
        assertThat(back.get("key 11")).isEqualTo(AWKWARD.replace('\uD800', '?').replace('\uDC00', '?'));
        assertThat((byte[]) back.get("key 13")).containsExactly(1, 2, 3);
        assertThat(Wire.encodedMapSize(Map.of())).isEqualTo(4);
    }

    @Test
    void aStringInABoundedBufferIsWrittenAsInAGrowableOne() {
        for (String s : List.of("", "x", "ünïcode ✓", AWKWARD)) {
            ByteBuf growable = Unpooled.buffer();
            Wire.writeString(growable, s);
            ByteBuf exact = Unpooled.wrappedBuffer(new byte[growable.readableBytes()]).clear();
            Wire.writeString(exact, s);
            assertThat(exact).as("bytes of '%s'", s).isEqualTo(growable);
            assertThat(Wire.readString(exact)).isEqualTo(Wire.readString(growable));
        }
    }

    @Test
    void aBufferTooSmallForTheStringFailsWithoutWritingPastItsEnd() {
        ByteBuf tooSmall = Unpooled.wrappedBuffer(new byte[6]).clear();
        assertThatThrownBy(() -> Wire.writeString(tooSmall, "three"))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aValueOfAnUnknownTypeHasNoSize() {
        assertThatThrownBy(() -> Wire.encodedValueSize(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }
}
