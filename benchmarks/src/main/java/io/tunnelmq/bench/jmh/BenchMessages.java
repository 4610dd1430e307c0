package io.tunnelmq.bench.jmh;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.LinkedHashMap;
import java.util.Map;

/** Messages shaped like the ones the load tool sends: a message id, a timestamp, a few properties, a body. */
final class BenchMessages {
    private BenchMessages() {
    }

    static WireMessage bytesMessage(int bodySize, Map<String, Object> properties) {
        return new WireMessage(WireDestination.queue("bench.np-1to1"), "ID:7c9e6679-7425-40de-944b-e07fc1f90ae7:1:1:42",
                1_700_000_000_000L, null, null, null, false, 4, 0, 0, properties, BodyType.BYTES,
                new byte[bodySize]);
    }

    /** The load tool's one property. */
    static Map<String, Object> loadToolProperties() {
        return Map.of("benchSentNanos", 123_456_789_012L);
    }

    /** A handful of typical application properties, as the broker sees them. */
    static Map<String, Object> applicationProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("color", "red");
        p.put("weight", 42);
        p.put("price", 9.99);
        p.put("region", "EU-west-1");
        p.put("category", "books");
        p.put("express", Boolean.TRUE);
        return p;
    }
}
