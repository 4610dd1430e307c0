package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;

/**
 * Rolls back a transacted session: staged sends are dropped and every message received in the transaction is
 * abandoned (redelivered with its delivery count raised). Answered by {@link Ok}.
 */
public record Rollback(int channel, long requestId) implements Frame {

    public Rollback {
        Frames.requireSessionChannel(channel);
        Frames.requireRequestId(requestId);
    }

    @Override
    public FrameType type() {
        return FrameType.ROLLBACK;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
    }

    static Rollback read(int channel, ByteBuf buf) {
        return new Rollback(channel, buf.readLong());
    }
}
