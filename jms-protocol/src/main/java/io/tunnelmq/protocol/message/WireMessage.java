package io.tunnelmq.protocol.message;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.PeerText;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.Wire;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A JMS message as it crosses the wire and sits in the broker: the headers the broker needs to route,
 * order, expire and select, the application properties, and the body as opaque bytes that only the
 * client interprets. Instances are immutable; the body array must not be modified after construction.
 *
 * <p>Delivery state ({@code JMSRedelivered}, {@code JMSXDeliveryCount}, the lock) is not part of the
 * message: it travels in the {@code Deliver} frame.
 *
 * @param destination    where the message was sent
 * @param messageId      JMSMessageID, or null when the producer disabled message ids
 * @param timestamp      JMSTimestamp, 0 when disabled
 * @param correlationId  JMSCorrelationID, or null
 * @param replyTo        JMSReplyTo, or null
 * @param type           JMSType, or null
 * @param persistent     JMSDeliveryMode is PERSISTENT
 * @param priority       JMSPriority, 0..9
 * @param expiration     JMSExpiration in epoch millis, 0 = never
 * @param deliveryTime   JMSDeliveryTime in epoch millis (not before), 0 = at once
 * @param properties     application and JMSX properties, unmodifiable (a client keeps them in the message it makes
 *                       of this one); never null
 * @param bodyType       the JMS message type
 * @param body           the encoded body, or null when the message has none
 */
public record WireMessage(WireDestination destination, String messageId, long timestamp, String correlationId,
                          WireDestination replyTo, String type, boolean persistent, int priority, long expiration,
                          long deliveryTime, Map<String, Object> properties, BodyType bodyType, byte[] body) {

    private static final int F_MESSAGE_ID = 1;
    private static final int F_CORRELATION_ID = 1 << 1;
    private static final int F_REPLY_TO = 1 << 2;
    private static final int F_TYPE = 1 << 3;
    private static final int F_PERSISTENT = 1 << 4;
    private static final int F_PROPERTIES = 1 << 5;
    private static final int F_BODY = 1 << 6;

    /** Fixed bytes a message takes besides its strings, properties and body (used for size estimates). */
    private static final int FIXED_SIZE = 48;

    public WireMessage {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(bodyType, "bodyType");
        if (priority < 0 || priority > 9) {
            throw new IllegalArgumentException("priority must be 0..9, was " + priority);
        }
        properties = properties == null ? Map.of() : properties;
    }

    /**
     * An estimate of the bytes this message occupies, used for send windows, credit and memory limits.
     * Both peers compute it the same way from the same fields.
     */
    public int sizeEstimate() {
        int size = FIXED_SIZE + Wire.sizeOf(destination.name()) + Wire.sizeOf(messageId)
                + Wire.sizeOf(correlationId) + Wire.sizeOf(type)
                + (replyTo == null ? 1 : Wire.sizeOf(replyTo.name()));
        if (!properties.isEmpty()) {
            PropertySizes sizes = new PropertySizes();
            properties.forEach(sizes);
            size += sizes.total;
        }
        return size + (body == null ? 0 : body.length);
    }

    /**
     * Sums the properties' share of {@link #sizeEstimate}. By {@code forEach}, since iterating the entry set makes
     * objects (the entry set and entry of a one-property map, an iterator) for every message, two or three times.
     */
    private static final class PropertySizes implements BiConsumer<String, Object> {
        private int total;

        @Override
        public void accept(String name, Object v) {
            total += Wire.sizeOf(name) + 1
                    + (v instanceof String s ? Wire.sizeOf(s) : v instanceof byte[] b ? 4 + b.length : 8);
        }
    }

    /** A copy addressed to another destination (dead-lettering, subscriptions), everything else unchanged. */
    public WireMessage withDestination(WireDestination newDestination) {
        return new WireMessage(newDestination, messageId, timestamp, correlationId, replyTo, type, persistent,
                priority, expiration, deliveryTime, properties, bodyType, body);
    }

    /** A copy with other properties (the broker adds dead-letter reasons this way). */
    public WireMessage withProperties(Map<String, Object> newProperties) {
        return new WireMessage(destination, messageId, timestamp, correlationId, replyTo, type, persistent,
                priority, expiration, deliveryTime, newProperties, bodyType, body);
    }

    public void write(ByteBuf buf) {
        int flags = (messageId != null ? F_MESSAGE_ID : 0)
                | (correlationId != null ? F_CORRELATION_ID : 0)
                | (replyTo != null ? F_REPLY_TO : 0)
                | (type != null ? F_TYPE : 0)
                | (persistent ? F_PERSISTENT : 0)
                | (!properties.isEmpty() ? F_PROPERTIES : 0)
                | (body != null ? F_BODY : 0);
        buf.writeByte(flags);
        destination.write(buf);
        buf.writeByte(bodyType.code());
        buf.writeByte(priority);
        buf.writeLong(timestamp);
        buf.writeLong(expiration);
        buf.writeLong(deliveryTime);
        if (messageId != null) {
            Wire.writeString(buf, messageId);
        }
        if (correlationId != null) {
            Wire.writeString(buf, correlationId);
        }
        if (replyTo != null) {
            replyTo.write(buf);
        }
        if (type != null) {
            Wire.writeString(buf, type);
        }
        if (!properties.isEmpty()) {
            Wire.writeMap(buf, properties);
        }
        if (body != null) {
            Wire.writeBytes(buf, body);
        }
    }

    public static WireMessage read(ByteBuf buf) {
        int flags = buf.readUnsignedByte();
        WireDestination destination = WireDestination.read(buf);
        BodyType bodyType = BodyType.of(buf.readByte());
        int priority = buf.readByte();
        if (priority < 0 || priority > 9) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "message priority " + priority + " is not 0..9");
        }
        long timestamp = buf.readLong();
        long expiration = buf.readLong();
        long deliveryTime = buf.readLong();
        String messageId = (flags & F_MESSAGE_ID) != 0 ? Wire.readString(buf) : null;
        String correlationId = (flags & F_CORRELATION_ID) != 0 ? Wire.readString(buf) : null;
        WireDestination replyTo = (flags & F_REPLY_TO) != 0 ? WireDestination.read(buf) : null;
        String type = (flags & F_TYPE) != 0 ? Wire.readString(buf) : null;
        Map<String, Object> properties = (flags & F_PROPERTIES) != 0 ? Wire.readMap(buf) : Map.of();
        byte[] body = (flags & F_BODY) != 0 ? Wire.readBytes(buf) : null;
        return new WireMessage(destination, messageId, timestamp, correlationId, replyTo, type,
                (flags & F_PERSISTENT) != 0, priority, expiration, deliveryTime, properties, bodyType, body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireMessage m
                && destination.equals(m.destination) && Objects.equals(messageId, m.messageId)
                && timestamp == m.timestamp && Objects.equals(correlationId, m.correlationId)
                && Objects.equals(replyTo, m.replyTo) && Objects.equals(type, m.type)
                && persistent == m.persistent && priority == m.priority && expiration == m.expiration
                && deliveryTime == m.deliveryTime && propertiesEqual(properties, m.properties)
                && bodyType == m.bodyType && Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(destination, messageId, timestamp, correlationId, type, priority) * 31
                + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "WireMessage[" + PeerText.of(messageId) + " to " + destination + ", " + bodyType + ", "
                + (body == null ? "no body" : body.length + " body bytes") + ", " + properties.size() + " properties]";
    }

    private static boolean propertiesEqual(Map<String, Object> a, Map<String, Object> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, Object> e : a.entrySet()) {
            Object other = b.get(e.getKey());
            Object mine = e.getValue();
            if (mine instanceof byte[] x ? !(other instanceof byte[] y && Arrays.equals(x, y)) : !Objects.equals(mine, other)) {
                return false;
            }
        }
        return true;
    }
}
