package io.tunnelmq.server;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Messages for broker tests. */
public final class Messages {
    private Messages() {
    }

    public static WireMessage text(WireDestination destination, String id) {
        return new WireMessage(destination, id, System.currentTimeMillis(), null, null, null, false, 4, 0, 0,
                Map.of("seq", id), BodyType.TEXT, ("body of " + id).getBytes(StandardCharsets.UTF_8));
    }

    public static WireMessage withBody(WireDestination destination, String id, int bodyBytes) {
        return new WireMessage(destination, id, 0, null, null, null, false, 4, 0, 0, Map.of(), BodyType.BYTES,
                new byte[bodyBytes]);
    }

    public static String id(io.tunnelmq.protocol.frame.Deliver deliver) {
        return deliver.message().messageId();
    }
}
