package io.tunnelmq.server.store.pages;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Messages for the page file tests: every header set, properties of every type, a body that says who it is. */
final class PageMessages {
    private PageMessages() {
    }

    /** A message whose id and body are derived from {@code n}, {@code bodyBytes} long. */
    static WireMessage numbered(long n, int bodyBytes) {
        return withBody("ID:" + n, BodyType.BYTES, body(n, bodyBytes));
    }

    static WireMessage withBody(String id, BodyType type, byte[] body) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("string", "s-" + id);
        properties.put("int", 7);
        properties.put("long", Long.MAX_VALUE);
        properties.put("boolean", true);
        properties.put("byte", (byte) -3);
        properties.put("short", (short) 300);
        properties.put("float", 1.5f);
        properties.put("double", -2.25);
        properties.put("bytes", new byte[] {1, 2, 3});
        properties.put("char", 'x');
        properties.put("JMSXGroupID", "group");
        return new WireMessage(WireDestination.queue("orders"), id, 1_700_000_000_000L, "corr-" + id,
                WireDestination.topic("replies"), "type", false, 4, 1_800_000_000_000L, 1_700_000_000_500L,
                properties, type, body);
    }

    /** A bare message: no optional header, no property, no body. */
    static WireMessage bare() {
        return new WireMessage(WireDestination.queue("q"), null, 0, null, null, null, false, 0, 0, 0, Map.of(),
                BodyType.MESSAGE, null);
    }

    static byte[] body(long n, int bytes) {
        byte[] body = new byte[bytes];
        byte[] label = Long.toString(n).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes; i++) {
            body[i] = i < label.length ? label[i] : (byte) (n * 31 + i);
        }
        return body;
    }
}
