package io.tunnelmq.server.management;

import io.netty.buffer.Unpooled;
import io.tunnelmq.protocol.Wire;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.queue.HeldMessage;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Turns a queue's {@link HeldMessage}s, and a shared store's messages, into the {@link MessageView}s operators read. */
final class MessageViews {
    /** Characters of a text (or map) body a preview shows. */
    static final int PREVIEW_CHARS = 200;
    /** Bytes of any other body a preview shows, in hex. */
    static final int PREVIEW_BYTES = 64;
    /** The state of a message in a store shared with other brokers that this broker does not hold. */
    static final String STORED = "stored";

    private MessageViews() {
    }

    static MessageView of(HeldMessage held, long now, ConnectionDirectory connections) {
        WireMessage m = held.message();
        boolean locked = held.state() == HeldMessage.State.LOCKED;
        String owner = null;
        if (locked) {
            owner = held.owner() == null ? "unknown" : connections.describe(held.owner().connectionId());
        }
        return view(m, held.deliveryCount(), held.state().name().toLowerCase(java.util.Locale.ROOT), owner,
                locked ? Math.max(0, held.lockedUntil() - now) : -1);
    }

    /**
     * A message of a queue shared with other brokers that this broker does not hold: waiting in the store, or claimed
     * by another broker (state {@code stored}).
     */
    static MessageView stored(WireMessage m, int deliveryCount) {
        return view(m, deliveryCount, STORED, null, -1);
    }

    private static MessageView view(WireMessage m, int deliveryCount, String state, String lockOwner,
                                    long lockMillisLeft) {
        byte[] body = m.body();
        return new MessageView(m.messageId(), typeName(m), m.priority(), m.timestamp(), m.expiration(), m.persistent(),
                deliveryCount, m.correlationId(), Map.copyOf(withoutNulls(m.properties())), preview(m),
                body == null ? 0 : body.length, state, lockOwner, lockMillisLeft);
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> properties) {
        Map<String, Object> copy = new HashMap<>();
        properties.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }

    static String typeName(WireMessage m) {
        return switch (m.bodyType()) {
            case MESSAGE -> "Message";
            case TEXT -> "Text";
            case BYTES -> "Bytes";
            case MAP -> "Map";
            case STREAM -> "Stream";
            case OBJECT -> "Object";
        };
    }

    static String preview(WireMessage m) {
        byte[] body = m.body();
        if (body == null || body.length == 0) {
            return "";
        }
        return switch (m.bodyType()) {
            case TEXT -> cut(new String(body, StandardCharsets.UTF_8));
            case MAP -> mapPreview(body);
            case MESSAGE, BYTES, STREAM, OBJECT -> hex(body);
        };
    }

    private static String mapPreview(byte[] body) {
        try {
            return cut(Wire.readMap(Unpooled.wrappedBuffer(body)).toString());
        } catch (RuntimeException e) {
            return hex(body); // a body the broker cannot read is still shown
        }
    }

    private static String cut(String text) {
        return text.length() <= PREVIEW_CHARS ? text : text.substring(0, PREVIEW_CHARS) + "…";
    }

    private static String hex(byte[] body) {
        int n = Math.min(body.length, PREVIEW_BYTES);
        StringBuilder sb = new StringBuilder(n * 2 + 1);
        for (int i = 0; i < n; i++) {
            sb.append(Character.forDigit((body[i] >> 4) & 0xf, 16)).append(Character.forDigit(body[i] & 0xf, 16));
        }
        return n < body.length ? sb.append('…').toString() : sb.toString();
    }
}
