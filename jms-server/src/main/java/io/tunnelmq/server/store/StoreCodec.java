package io.tunnelmq.server.store;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.Wire;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.UUID;

/**
 * The byte layout of stored records. A record's data starts with a format byte and a kind byte:
 * <pre>
 *   message:      1 | 1 | where | WireMessage (the protocol's own encoding)
 *                 where = 0 | string queue name   or   1 | long subscription id
 *   subscription: 1 | 2 | flags (1 noLocal, 2 shared) | string clientId | string name | string topic | string selector
 *   producer:     1 | 3 | long producer id (most, least significant) | long sequence | long stored at (epoch ms)
 *   annotation:   of a message: int delivery count; of a producer: long sequence | long stored at
 * </pre>
 * Strings are the protocol's (int length, -1 = null, UTF-8). A message is encoded once; its copies for several
 * durable subscriptions share the encoded bytes.
 */
public final class StoreCodec {
    static final byte FORMAT = 1;
    static final byte KIND_MESSAGE = 1;
    static final byte KIND_SUBSCRIPTION = 2;
    static final byte KIND_PRODUCER = 3;
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

    /**
     * Decodes what {@link #encodeMessage} wrote, taking {@code length} bytes of {@code data} from {@code offset}.
     *
     * @throws StoreException saying what is wrong if those bytes are not exactly one encoded message
     */
    public static WireMessage decodeMessage(byte[] data, int offset, int length) {
        ByteBuf buf = Unpooled.wrappedBuffer(data, offset, length);
        try {
            WireMessage message = WireMessage.read(buf);
            if (buf.isReadable()) {
                throw new StoreException("an encoded message of " + length + " bytes has " + buf.readableBytes()
                        + " unexpected trailing bytes");
            }
            return message;
        } catch (IndexOutOfBoundsException | ProtocolException | IllegalArgumentException | NullPointerException e) {
            throw new StoreException("an encoded message of " + length + " bytes cannot be decoded: " + e, e);
        }
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

    /** A producer of the duplicate window: its id and its highest stored sequence when it entered. */
    public static byte[] producerRecord(ProducerStamp last, long storedAtMillis) {
        ByteBuf buf = Unpooled.buffer(34);
        buf.writeByte(FORMAT).writeByte(KIND_PRODUCER);
        buf.writeLong(last.producerId().getMostSignificantBits()).writeLong(last.producerId().getLeastSignificantBits());
        buf.writeLong(last.sequence()).writeLong(storedAtMillis);
        return toArray(buf);
    }

    /** A producer record's annotation: its highest stored sequence now. */
    public static byte[] producerSequence(long sequence, long storedAtMillis) {
        ByteBuf buf = Unpooled.buffer(16);
        buf.writeLong(sequence).writeLong(storedAtMillis);
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
            byte kind = readKind(id, buf);
            if (kind == KIND_MESSAGE) {
                StoredQueue queue = readPlace(id, buf);
                WireMessage message = WireMessage.read(buf);
                requireEnd(id, buf);
                visitor.message(id, queue, message, annotation == null ? 1 : readCount(id, annotation));
            } else if (kind == KIND_SUBSCRIPTION) {
                int flags = buf.readUnsignedByte();
                DurableSubscription s = new DurableSubscription(Wire.readString(buf), Wire.readString(buf),
                        Wire.readString(buf), Wire.readString(buf), (flags & F_NO_LOCAL) != 0, (flags & F_SHARED) != 0);
                requireEnd(id, buf);
                visitor.subscription(id, s);
            } else if (kind == KIND_PRODUCER) {
                UUID producerId = new UUID(buf.readLong(), buf.readLong());
                long sequence = buf.readLong();
                long storedAt = buf.readLong();
                requireEnd(id, buf);
                if (annotation != null) {
                    if (annotation.length != 16) {
                        throw new StoreException("stored producer " + id + " has a sequence annotation of "
                                + annotation.length + " bytes, expected 16");
                    }
                    ByteBuf latest = Unpooled.wrappedBuffer(annotation);
                    sequence = latest.readLong();
                    storedAt = latest.readLong();
                }
                visitor.producer(id, new ProducerStamp(producerId, sequence), storedAt);
            } else {
                throw new StoreException("stored record " + id + " is of unknown kind " + kind);
            }
        } catch (IndexOutOfBoundsException | ProtocolException | IllegalArgumentException | NullPointerException e) {
            throw new StoreException("stored record " + id + " (" + data.length + " bytes) cannot be decoded: " + e, e);
        }
    }

    /**
     * The message of one stored record (read back for a paged message), or null if the record is not a message (a
     * durable subscription, a producer).
     *
     * @throws StoreException naming the record id if its bytes are not a record this broker wrote
     */
    public static WireMessage decodeMessage(long id, byte[] data) {
        ByteBuf buf = Unpooled.wrappedBuffer(data);
        try {
            if (readKind(id, buf) != KIND_MESSAGE) {
                return null;
            }
            readPlace(id, buf);
            WireMessage message = WireMessage.read(buf);
            requireEnd(id, buf);
            return message;
        } catch (IndexOutOfBoundsException | ProtocolException | IllegalArgumentException | NullPointerException e) {
            throw new StoreException("stored record " + id + " (" + data.length + " bytes) cannot be decoded: " + e, e);
        }
    }

    /** A record's kind, after checking that its format is the one this broker writes. */
    private static byte readKind(long id, ByteBuf buf) {
        byte format = buf.readByte();
        if (format != FORMAT) {
            throw new StoreException("stored record " + id + " has format " + format + "; this broker reads"
                    + " format " + FORMAT + " (was the data directory written by a newer broker?)");
        }
        return buf.readByte();
    }

    private static StoredQueue readPlace(long id, ByteBuf buf) {
        byte where = buf.readByte();
        return switch (where) {
            case WHERE_QUEUE -> StoredQueue.queue(Wire.readString(buf));
            case WHERE_SUBSCRIPTION -> StoredQueue.subscription(buf.readLong());
            default -> throw new StoreException("stored message " + id + " names an unknown place " + where);
        };
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
