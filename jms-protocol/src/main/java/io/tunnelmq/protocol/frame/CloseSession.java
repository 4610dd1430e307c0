package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;

/**
 * Closes a session: the broker closes its consumers, abandons every lock it holds, drops staged
 * transactional work, answers {@link Ok}, and the channel number may be reused.
 */
public record CloseSession(int channel, long requestId) implements Frame {

    public CloseSession {
        Frames.requireSessionChannel(channel);
        Frames.requireRequestId(requestId);
    }

    @Override
    public FrameType type() {
        return FrameType.CLOSE_SESSION;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
    }

    static CloseSession read(int channel, ByteBuf buf) {
        return new CloseSession(channel, buf.readLong());
    }
}
