package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.Wire;

/**
 * Deletes a durable subscription of this connection's client ID (or, without a client ID, a shared durable one)
 * with the messages it holds. Answered by {@link Ok}; {@link ErrorFrame} with {@code INVALID_DESTINATION} when no
 * such subscription exists, {@code ILLEGAL_STATE} while it has an active consumer.
 *
 * @param subscriptionName the name the subscription was created with
 */
public record Unsubscribe(int channel, long requestId, String subscriptionName) implements Frame {

    public Unsubscribe {
        Frames.requireSessionChannel(channel);
        Frames.requireRequestId(requestId);
        if (subscriptionName == null || subscriptionName.isEmpty()) {
            throw new IllegalArgumentException("a subscription name must not be null or empty");
        }
    }

    @Override
    public FrameType type() {
        return FrameType.UNSUBSCRIBE;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        Wire.writeString(buf, subscriptionName);
    }

    static Unsubscribe read(int channel, ByteBuf buf) {
        return new Unsubscribe(channel, buf.readLong(), Wire.readString(buf));
    }
}
