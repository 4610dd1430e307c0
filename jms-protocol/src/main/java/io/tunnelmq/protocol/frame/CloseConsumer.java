package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;

/**
 * Closes a consumer: no further deliveries. Messages it delivered to the application and that are not yet
 * settled stay locked to the session (CLIENT_ACKNOWLEDGE and transactions may still settle them); the client
 * releases the ones it had only buffered before sending this.
 */
public record CloseConsumer(int channel, long requestId, int consumerId) implements Frame {

    public CloseConsumer {
        Frames.requireSessionChannel(channel);
        Frames.requireRequestId(requestId);
        Frames.requireConsumerId(consumerId);
    }

    @Override
    public FrameType type() {
        return FrameType.CLOSE_CONSUMER;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        buf.writeInt(consumerId);
    }

    static CloseConsumer read(int channel, ByteBuf buf) {
        return new CloseConsumer(channel, buf.readLong(), buf.readInt());
    }
}
