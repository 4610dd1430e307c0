package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.Objects;

/**
 * A message for a consumer, locked to this session until settled with {@link Settle} or until the lock expires.
 *
 * @param consumerId    the consumer it is for
 * @param lockToken     identifies the lock in settlements; unique within the broker
 * @param deliveryCount 1 on the first delivery, raised by every abandon or lock expiry
 * @param lockedUntil   epoch millis at which the broker unlocks the message unless it is settled or renewed
 * @param message       the message
 */
public record Deliver(int channel, int consumerId, long lockToken, int deliveryCount, long lockedUntil,
                      WireMessage message) implements Frame {

    public Deliver {
        Frames.requireSessionChannel(channel);
        Frames.requireConsumerId(consumerId);
        if (deliveryCount < 1) {
            throw new IllegalArgumentException("delivery count must be >= 1, was " + deliveryCount);
        }
        Objects.requireNonNull(message, "message");
    }

    @Override
    public FrameType type() {
        return FrameType.DELIVER;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeInt(consumerId);
        buf.writeLong(lockToken);
        buf.writeInt(deliveryCount);
        buf.writeLong(lockedUntil);
        message.write(buf);
    }

    static Deliver read(int channel, ByteBuf buf) {
        return new Deliver(channel, buf.readInt(), buf.readLong(), buf.readInt(), buf.readLong(),
                WireMessage.read(buf));
    }
}
