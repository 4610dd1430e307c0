package io.tunnelmq.server.selector;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.Wire;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Fuzzes the selector parser and evaluator with what a consumer can send (the selector) and what a producer can send
 * (the properties it is evaluated against). Input: the selector in UTF-8, a zero byte, the delivery count byte, then
 * the properties as they travel ({@link Wire#writeMap}). Compiling may only fail with a {@link SelectorException};
 * evaluating may not fail at all (a type mismatch is UNKNOWN, not an error), nor take long (Jazzer's per-input
 * timeout): both run on the broker's event loops, a selector against every message of its queue. Seeds:
 * {@code SelectorFuzzTestInputs} (see {@link SelectorFuzzSeedsTest}).
 */
class SelectorFuzzTest {

    @FuzzTest
    @Timeout(10)
    void compileAndMatch(byte[] input) {
        int end = 0;
        while (end < input.length && input[end] != 0) {
            end++;
        }
        String text = new String(input, 0, end, StandardCharsets.UTF_8);
        Selector selector;
        try {
            selector = Selector.compile(text);
        } catch (SelectorException invalid) {
            return;
        }
        if (selector == null) {
            return;
        }
        int deliveryCount = end + 1 < input.length ? 1 + (input[end + 1] & 0xff) : 1;
        selector.matches(message(end + 2 < input.length ? Arrays.copyOfRange(input, end + 2, input.length)
                : new byte[0]), deliveryCount);
    }

    /** A message with headers set and the fuzzed properties (none when they do not parse). */
    private static WireMessage message(byte[] properties) {
        Map<String, Object> props = Map.of();
        ByteBuf buf = Unpooled.wrappedBuffer(properties);
        try {
            props = Wire.readMap(buf);
        } catch (ProtocolException | IndexOutOfBoundsException unparsed) {
            // the selector still runs, against headers only
        }
        return new WireMessage(WireDestination.queue("q"), "ID:fuzz-1", 1_700_000_000_000L, "corr-1", null, "type",
                true, 4, 0, 0, props, BodyType.TEXT, null);
    }
}
