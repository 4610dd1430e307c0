package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;

/**
 * Commits a transacted session: every staged send is published and every held completion applied, atomically.
 * Answered by {@link Ok}, or {@link ErrorFrame} with {@code TRANSACTION_ROLLED_BACK} when nothing was applied.
 */
public record Commit(int channel, long requestId) implements Frame {

    public Commit {
        Frames.requireSessionChannel(channel);
        Frames.requireRequestId(requestId);
    }

    @Override
    public FrameType type() {
        return FrameType.COMMIT;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
    }

    static Commit read(int channel, ByteBuf buf) {
        return new Commit(channel, buf.readLong());
    }
}
