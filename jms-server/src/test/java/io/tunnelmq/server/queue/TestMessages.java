package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Messages for engine tests. */
final class TestMessages {
    private TestMessages() {
    }

    static WireMessage message(String queue, String id) {
        return message(queue, id, 0, 0);
    }

    static WireMessage message(String queue, String id, long expiration, long deliveryTime) {
        return new WireMessage(WireDestination.queue(queue), id, 0, null, null, null, false, 4, expiration,
                deliveryTime, Map.of("app", "x"), BodyType.TEXT, id.getBytes(StandardCharsets.UTF_8));
    }
}
