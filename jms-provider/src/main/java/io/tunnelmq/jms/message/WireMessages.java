package io.tunnelmq.jms.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.jms.TunnelDestination;
import io.tunnelmq.jms.engine.Delivery;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.Wire;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place where JMS messages become {@link WireMessage}s and back. Body encodings: text as UTF-8 (null
 * text = no body), bytes raw, map and stream as typed values ({@link Wire#writeMap}, and for streams a count
 * followed by {@link Wire#writeValue} per value), object as Java serialization. Empty bytes, map and stream
 * bodies travel as no body.
 */
public final class WireMessages {
    private WireMessages() {
    }

    /**
     * The wire form of a message about to be sent; its JMSDestination must be set. Messages of other providers
     * are converted (their destinations must be queues or topics).
     */
    public static WireMessage toWire(Message message) throws JMSException {
        JmsMessage m = asOwn(message);
        Destination destination = m.getJMSDestination();
        if (destination == null) {
            throw new InvalidDestinationException("the message has no JMSDestination");
        }
        return new WireMessage(toWireDestination(destination), m.getJMSMessageID(), m.getJMSTimestamp(),
                m.getJMSCorrelationID(), m.getJMSReplyTo() == null ? null : toWireDestination(m.getJMSReplyTo()),
                m.getJMSType(), m.getJMSDeliveryMode() == DeliveryMode.PERSISTENT, m.getJMSPriority(),
                m.getJMSExpiration(), m.getJMSDeliveryTime(), m.properties().snapshot(), bodyType(m), body(m));
    }

    /** The message itself if it is a TunnelMQ message, else a TunnelMQ copy of another provider's message. */
    public static JmsMessage asOwn(Message message) throws JMSException {
        return message instanceof JmsMessage own ? own : ForeignMessages.copy(message);
    }

    /**
     * A delivered message as the application sees it: read-only, with its lock state and JMSRedelivered set.
     *
     * @param control       the session that settles the lock
     * @throws MessageFormatException if the body cannot be decoded
     */
    public static JmsMessage fromDelivery(Delivery delivery, DeliveryControl control)
            throws JMSException {
        return fromDelivery(delivery, control, SerializablePackages.fromSystemProperty());
    }

    /**
     * A delivered message as the application sees it, an ObjectMessage body deserialized with the given allow-list.
     *
     * @param control   the session that settles the lock
     * @param packages  the receiving connection's deserialization allow-list
     * @throws MessageFormatException if the body cannot be decoded
     */
    public static JmsMessage fromDelivery(Delivery delivery, DeliveryControl control, SerializablePackages packages)
            throws JMSException {
        JmsMessage m = fromWire(delivery.message(), packages);
        m.markReceived(delivery.lockToken(), delivery.deliveryCount(), delivery.lockedUntil(), control);
        return m;
    }

    /**
     * A wire message as a read-only JMS message without lock state.
     *
     * @throws MessageFormatException if the body cannot be decoded
     */
    public static JmsMessage fromWire(WireMessage w) throws JMSException {
        return fromWire(w, SerializablePackages.fromSystemProperty());
    }

    /**
     * A wire message as a read-only JMS message without lock state, an ObjectMessage body deserialized with the
     * given allow-list.
     *
     * @throws MessageFormatException if the body cannot be decoded
     */
    public static JmsMessage fromWire(WireMessage w, SerializablePackages packages) throws JMSException {
        JmsMessage m = newMessage(w, packages);
        m.setJMSDestination(WireDestinations.fromWire(w.destination()));
        m.setJMSMessageID(w.messageId());
        m.setJMSTimestamp(w.timestamp());
        m.setJMSCorrelationID(w.correlationId());
        m.setJMSReplyTo(w.replyTo() == null ? null : WireDestinations.fromWire(w.replyTo()));
        m.setJMSType(w.type());
        m.setJMSDeliveryMode(w.persistent() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
        m.setJMSPriority(w.priority());
        m.setJMSExpiration(w.expiration());
        m.setJMSDeliveryTime(w.deliveryTime());
        m.properties().adopt(w.properties());
        m.markReadOnly();
        return m;
    }

    /**
     * The wire form of a destination. TunnelMQ destinations map directly; other providers' queues and topics
     * map by name.
     *
     * @throws InvalidDestinationException for null, other providers' temporary destinations and unknown kinds
     */
    public static WireDestination toWireDestination(Destination d) throws InvalidDestinationException {
        if (d instanceof TunnelDestination t) {
            return WireDestinations.toWire(t);
        }
        if (d == null) {
            throw new InvalidDestinationException("the destination must not be null");
        }
        try {
            if (d instanceof TemporaryQueue || d instanceof TemporaryTopic) {
                throw new InvalidDestinationException("temporary destination " + d + " belongs to another JMS"
                        + " provider and cannot be used with TunnelMQ");
            }
            if (d instanceof Queue q) {
                return WireDestination.queue(q.getQueueName());
            }
            if (d instanceof Topic t) {
                return WireDestination.topic(t.getTopicName());
            }
        } catch (InvalidDestinationException e) {
            throw e;
        } catch (JMSException | IllegalArgumentException e) {
            InvalidDestinationException j = new InvalidDestinationException("destination " + d
                    + " has no usable name: " + e.getMessage());
            j.initCause(e);
            throw j;
        }
        throw new InvalidDestinationException("destination " + d + " (" + d.getClass().getName()
                + ") is neither a Queue nor a Topic");
    }

    private static JmsMessage newMessage(WireMessage w, SerializablePackages packages) throws JMSException {
        byte[] body = w.body();
        try {
            switch (w.bodyType()) {
                case TEXT -> {
                    return new JmsTextMessage(body == null ? null : new String(body, StandardCharsets.UTF_8));
                }
                case BYTES -> {
                    JmsBytesMessage m = new JmsBytesMessage();
                    m.setContent(body);
                    return m;
                }
                case MAP -> {
                    JmsMapMessage m = new JmsMapMessage();
                    if (body != null) {
                        m.putReceived(Wire.readMap(Unpooled.wrappedBuffer(body)));
                    }
                    return m;
                }
                case STREAM -> {
                    JmsStreamMessage m = new JmsStreamMessage();
                    m.setReceived(body == null ? List.of() : readStream(body));
                    return m;
                }
                case OBJECT -> {
                    JmsObjectMessage m = new JmsObjectMessage(packages);
                    m.setSerialized(body);
                    return m;
                }
                default -> {
                    return new JmsMessage();
                }
            }
        } catch (ProtocolException | IndexOutOfBoundsException e) {
            throw ExceptionLinks.link(new MessageFormatException("the " + w.bodyType() + " body of message "
                    + w.messageId() + " cannot be decoded: " + e.getMessage()), e);
        }
    }

    private static List<Object> readStream(byte[] body) {
        ByteBuf buf = Unpooled.wrappedBuffer(body);
        int count = buf.readInt();
        if (count < 0 || count > buf.readableBytes()) {
            throw new IndexOutOfBoundsException("stream of " + count + " values exceeds the " + body.length
                    + "-byte body");
        }
        List<Object> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(Wire.readValue(buf));
        }
        if (buf.isReadable()) {
            throw new IndexOutOfBoundsException(buf.readableBytes() + " bytes left after the last stream value");
        }
        return values;
    }

    private static BodyType bodyType(JmsMessage m) {
        if (m instanceof JmsTextMessage) {
            return BodyType.TEXT;
        } else if (m instanceof JmsBytesMessage) {
            return BodyType.BYTES;
        } else if (m instanceof JmsMapMessage) {
            return BodyType.MAP;
        } else if (m instanceof JmsStreamMessage) {
            return BodyType.STREAM;
        } else if (m instanceof JmsObjectMessage) {
            return BodyType.OBJECT;
        }
        return BodyType.MESSAGE;
    }

    /**
     * The body a send puts on the wire. Bytes and object bodies are not copied (a sent message's body never
     * changes: see {@link BodyBuffer}; an object body is replaced, never modified); map and stream bodies are
     * encoded straight into an array of their exact size.
     */
    private static byte[] body(JmsMessage m) {
        if (m instanceof JmsTextMessage t) {
            return t.getText() == null ? null : t.getText().getBytes(StandardCharsets.UTF_8);
        } else if (m instanceof JmsBytesMessage b) {
            byte[] bytes = b.sharedBodyBytes();
            return bytes.length == 0 ? null : bytes;
        } else if (m instanceof JmsMapMessage map) {
            Map<String, Object> entries = map.entries();
            return entries.isEmpty() ? null
                    : encode(Wire.encodedMapSize(entries), buf -> Wire.writeMap(buf, entries));
        } else if (m instanceof JmsStreamMessage s) {
            List<Object> values = s.values();
            if (values.isEmpty()) {
                return null;
            }
            int size = 4;
            for (Object v : values) {
                size += Wire.encodedValueSize(v);
            }
            return encode(size, buf -> {
                buf.writeInt(values.size());
                values.forEach(v -> Wire.writeValue(buf, v));
            });
        } else if (m instanceof JmsObjectMessage o) {
            return o.serialized();
        }
        return null;
    }

    /** Encodes into a new array of exactly {@code size} bytes (a wrong size is a bug, reported as such). */
    private static byte[] encode(int size, java.util.function.Consumer<ByteBuf> writer) {
        byte[] bytes = new byte[size];
        ByteBuf buf = Unpooled.wrappedBuffer(bytes).clear();
        writer.accept(buf);
        if (buf.writerIndex() != size) {
            throw new IllegalStateException("body encoded to " + buf.writerIndex() + " bytes, not the " + size
                    + " computed");
        }
        return bytes;
    }
}
