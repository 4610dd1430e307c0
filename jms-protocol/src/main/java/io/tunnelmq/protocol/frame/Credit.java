package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;

/**
 * Grants a consumer more delivery credit. The client sends it as the application takes messages, so the
 * broker never delivers more than the consumer's prefetch ahead of the application.
 *
 * @param messages how many more messages the broker may deliver
 */
public record Credit(int channel, int consumerId, int messages) implements Frame {

    public Credit {
        Frames.requireSessionChannel(channel);
        Frames.requireConsumerId(consumerId);
        if (messages <= 0) {
            throw new IllegalArgumentException("credit must be > 0, was " + messages);
        }
    }

    @Override
    public FrameType type() {
        return FrameType.CREDIT;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeInt(consumerId);
        buf.writeInt(messages);
    }

    static Credit read(int channel, ByteBuf buf) {
        return new Credit(channel, buf.readInt(), buf.readInt());
    }
}
