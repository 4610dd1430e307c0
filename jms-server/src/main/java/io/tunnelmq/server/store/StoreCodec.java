package io.tunnelmq.server.store;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.Wire;
import io.tunnelmq.protocol.message.WireMessage;

/**
 * The byte layout of stored records. A record's data starts with a format byte and a kind byte:
 * <pre>
 *   message:      1 | 1 | where | WireMessage (the protocol's own encoding)
 *                 where = 0 | string queue name   or   1 | long subscription id
 *   subscription: 1 | 2 | flags (1 noLocal, 2 shared) | string clientId | string name | string topic | string selector
 *   annotation:   int delivery count
 * </pre>
 * Strings are the protocol's (int length, -1 = null, UTF-8). A message is encoded once; its copies for several
 * durable subscriptions share the encoded bytes.
 */
public final class StoreCodec {
    static final byte FORMAT = 1;
    static final byte KIND_MESSAGE = 1;
    static final byte KIND_SUBSCRIPTION = 2;
    private static final byte WHERE_QUEUE = 0;
    private static final byte WHERE_SUBSCRIPTION = 1;
    private static final int F_NO_LOCAL = 1;
    private static final int F_SHARED = 2;

    private StoreCodec() {
    }

    /** The message's protocol encoding, to pass to {@link #messageRecord} for each copy. */
    public static byte[] encodeMessage(WireMessage message) {
        ByteBuf buf = Unpooled.buffer(message.sizeEstimate() + 64);
        message.write(buf);
        return toArray(buf);
    }

    /** A message record: where it lives and its encoded bytes. */
    public static byte[] messageRecord(StoredQueue queue, byte[] encodedMessage) {
        ByteBuf buf = Unpooled.buffer(encodedMessage.length + 16 + (queue.queueName() == null ? 0
                : queue.queueName().length() * 3));
        buf.writeByte(FORMAT).writeByte(KIND_MESSAGE);
        if (queue.isSubscription()) {
            buf.writeByte(WHERE_SUBSCRIPTION).writeLong(queue.subscriptionId());
        } else {
            buf.writeByte(WHERE_QUEUE);
            Wire.writeString(buf, queue.queueName());
        }
        buf.writeBytes(encodedMessage);
        return toArray(buf);
    }

    public static byte[] subscriptionRecord(DurableSubscription s) {
        ByteBuf buf = Unpooled.buffer(64);
        buf.writeByte(FORMAT).writeByte(KIND_SUBSCRIPTION);
        buf.writeByte((s.noLocal() ? F_NO_LOCAL : 0) | (s.shared() ? F_SHARED : 0));
        Wire.writeString(buf, s.clientId());
        Wire.writeString(buf, s.name());
        Wire.writeString(buf, s.topic());
        Wire.writeString(buf, s.selector());
        return toArray(buf);
    }

    public static byte[] deliveryCount(int count) {
        return new byte[] {(byte) (count >>> 24), (byte) (count >>> 16), (byte) (count >>> 8), (byte) count};
    }

    /**
     * Decodes one recovered record and hands it to the visitor.
     *
     * @throws StoreException naming the record id if its bytes are not a record this broker wrote
     */
    public static void decode(long id, byte[] data, byte[] annotation, StoreVisitor visitor) {
        ByteBuf buf = Unpooled.wrappedBuffer(data);
        try {
            byte format = buf.readByte();
            if (format != FORMAT) {
                throw new StoreException("stored record " + id + " has format " + format + "; this broker reads"
                        + " format " + FORMAT + " (was the data directory written by a newer broker?)");
            }
            byte kind = buf.readByte();
            if (kind == KIND_MESSAGE) {
                byte where = buf.readByte();
                StoredQueue queue = switch (where) {
                    case WHERE_QUEUE -> StoredQueue.queue(Wire.readString(buf));
                    case WHERE_SUBSCRIPTION -> StoredQueue.subscription(buf.readLong());
                    default -> throw new StoreException("stored message " + id + " names an unknown place " + where);
                };
                WireMessage message = WireMessage.read(buf);
                requireEnd(id, buf);
                visitor.message(id, queue, message, annotation == null ? 1 : readCount(id, annotation));
            } else if (kind == KIND_SUBSCRIPTION) {
                int flags = buf.readUnsignedByte();
                DurableSubscription s = new DurableSubscription(Wire.readString(buf), Wire.readString(buf),
                        Wire.readString(buf), Wire.readString(buf), (flags & F_NO_LOCAL) != 0, (flags & F_SHARED) != 0);
                requireEnd(id, buf);
                visitor.subscription(id, s);
            } else {
                throw new StoreException("stored record " + id + " is of unknown kind " + kind);
            }
        } catch (IndexOutOfBoundsException | ProtocolException | IllegalArgumentException | NullPointerException e) {
            throw new StoreException("stored record " + id + " (" + data.length + " bytes) cannot be decoded: " + e, e);
        }
    }

    private static int readCount(long id, byte[] annotation) {
        if (annotation.length != 4) {
            throw new StoreException("stored record " + id + " has a delivery count annotation of "
                    + annotation.length + " bytes, expected 4");
        }
        return Math.max(1, ((annotation[0] & 0xff) << 24) | ((annotation[1] & 0xff) << 16)
                | ((annotation[2] & 0xff) << 8) | (annotation[3] & 0xff));
    }

    private static void requireEnd(long id, ByteBuf buf) {
        if (buf.isReadable()) {
            throw new StoreException("stored record " + id + " has " + buf.readableBytes() + " unexpected trailing bytes");
        }
    }

    private static byte[] toArray(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }
}
