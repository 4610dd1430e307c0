package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;

/**
 * Grants a consumer more delivery credit. The client sends it as the application takes messages, so the
 * broker never delivers more than the consumer's prefetch ahead of the application.
 *
 * @param messages how many more messages the broker may deliver
 * @param bytes    how many more bytes the broker may deliver, for a consumer created with a byte credit; 0 adds
 *                 none (trailing optional field)
 */
public record Credit(int channel, int consumerId, int messages, long bytes) implements Frame {

    public Credit {
        Frames.requireSessionChannel(channel);
        Frames.requireConsumerId(consumerId);
        if (messages < 0 || bytes < 0 || (messages == 0 && bytes == 0)) {
            throw new IllegalArgumentException("credit must add messages or bytes and never be negative, was "
                    + messages + " messages, " + bytes + " bytes");
        }
    }

    /** Credit in messages only. */
    public Credit(int channel, int consumerId, int messages) {
        this(channel, consumerId, messages, 0L);
    }

    @Override
    public FrameType type() {
        return FrameType.CREDIT;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeInt(consumerId);
        buf.writeInt(messages);
        buf.writeLong(bytes);
    }

    static Credit read(int channel, ByteBuf buf) {
        return new Credit(channel, buf.readInt(), buf.readInt(), buf.isReadable() ? buf.readLong() : 0L);
    }
}
