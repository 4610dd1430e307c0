package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.Wire;
import io.tunnelmq.protocol.message.WireDestination;

import java.util.List;
import java.util.Objects;

/**
 * Opens a consumer on a session. Answered by {@link Ok}, or an {@link ErrorFrame} for an invalid
 * destination or selector. The broker then sends {@link Deliver} frames while the consumer has credit.
 *
 * @param consumerId       chosen by the client, unique within the session
 * @param destination      queue or topic to consume from
 * @param selector         JMS message selector, or null
 * @param noLocal          for topics: skip messages published by this connection
 * @param subscriptionName durable or shared subscription name, or null
 * @param durable          the subscription survives the consumer
 * @param shared           the subscription may have several consumers
 * @param credit           initial delivery credit in messages (the prefetch); 0 = deliver only on {@link Credit}
 * @param creditBytes      initial delivery credit in bytes ({@code WireMessage.sizeEstimate()}); 0 = no byte limit.
 *                         A message is delivered while both credits last; one message may always go when the
 *                         consumer holds none, so a message larger than the byte credit is never stuck.
 *                         (Trailing optional field.)
 * @param seenMessageIds   JMSMessageIDs the application was handed on an earlier connection of this consumer, whose
 *                         notice (Settle TAKEN) or completion the broker may have missed: before the consumer gets
 *                         anything, the broker counts each one its queue still holds as delivered, so it comes again
 *                         flagged redelivered. At most {@link Protocol#MAX_SEEN_MESSAGE_IDS}; empty normally.
 *                         (Trailing optional field, written only when not empty, so an older broker reads the frame
 *                         of a consumer opened for the first time.)
 */
public record CreateConsumer(int channel, long requestId, int consumerId, WireDestination destination, String selector,
                             boolean noLocal, String subscriptionName, boolean durable, boolean shared, int credit,
                             long creditBytes, List<String> seenMessageIds)
        implements Frame {

    private static final int F_NO_LOCAL = 1;
    private static final int F_DURABLE = 1 << 1;
    private static final int F_SHARED = 1 << 2;

    public CreateConsumer {
        Frames.requireSessionChannel(channel);
        Frames.requireRequestId(requestId);
        Frames.requireConsumerId(consumerId);
        Objects.requireNonNull(destination, "destination");
        if (credit < 0 || creditBytes < 0) {
            throw new IllegalArgumentException("credit must be >= 0, was " + credit + " messages, " + creditBytes
                    + " bytes");
        }
        if (durable && subscriptionName == null) {
            throw new IllegalArgumentException("a durable subscription needs a name");
        }
        seenMessageIds = seenMessageIds == null ? List.of() : List.copyOf(seenMessageIds);
    }

    /** A consumer opened for the first time (no seen messages). */
    public CreateConsumer(int channel, long requestId, int consumerId, WireDestination destination, String selector,
                          boolean noLocal, String subscriptionName, boolean durable, boolean shared, int credit,
                          long creditBytes) {
        this(channel, requestId, consumerId, destination, selector, noLocal, subscriptionName, durable, shared, credit,
                creditBytes, List.of());
    }

    /** A consumer without a byte limit on its credit. */
    public CreateConsumer(int channel, long requestId, int consumerId, WireDestination destination, String selector,
                          boolean noLocal, String subscriptionName, boolean durable, boolean shared, int credit) {
        this(channel, requestId, consumerId, destination, selector, noLocal, subscriptionName, durable, shared, credit,
                0L);
    }

    @Override
    public FrameType type() {
        return FrameType.CREATE_CONSUMER;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        buf.writeInt(consumerId);
        destination.write(buf);
        Wire.writeString(buf, selector);
        buf.writeByte((noLocal ? F_NO_LOCAL : 0) | (durable ? F_DURABLE : 0) | (shared ? F_SHARED : 0));
        Wire.writeString(buf, subscriptionName);
        buf.writeInt(credit);
        buf.writeLong(creditBytes);
        if (!seenMessageIds.isEmpty()) {
            Wire.writeStrings(buf, seenMessageIds);
        }
    }

    static CreateConsumer read(int channel, ByteBuf buf) {
        long requestId = buf.readLong();
        int consumerId = buf.readInt();
        WireDestination destination = WireDestination.read(buf);
        String selector = Wire.readString(buf);
        int flags = buf.readUnsignedByte();
        String subscriptionName = Wire.readString(buf);
        return new CreateConsumer(channel, requestId, consumerId, destination, selector, (flags & F_NO_LOCAL) != 0,
                subscriptionName, (flags & F_DURABLE) != 0, (flags & F_SHARED) != 0, buf.readInt(),
                buf.isReadable() ? buf.readLong() : 0L, buf.isReadable() ? Wire.readStrings(buf) : List.of());
    }
}
