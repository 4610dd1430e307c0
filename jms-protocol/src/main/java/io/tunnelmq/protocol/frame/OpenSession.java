package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;

/**
 * Opens a JMS session on a new channel chosen by the client. Answered by {@link Ok}.
 *
 * @param channel      the new session's channel, > 0 and not in use
 * @param requestId    request id
 * @param transacted   sends are staged and settlements held until {@link Commit}
 * @param ackMode      the JMS acknowledge mode, for the broker's information (settlement is client-driven)
 */
public record OpenSession(int channel, long requestId, boolean transacted, int ackMode) implements Frame {

    public OpenSession {
        Frames.requireSessionChannel(channel);
        Frames.requireRequestId(requestId);
    }

    @Override
    public FrameType type() {
        return FrameType.OPEN_SESSION;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        buf.writeBoolean(transacted);
        buf.writeInt(ackMode);
    }

    static OpenSession read(int channel, ByteBuf buf) {
        return new OpenSession(channel, buf.readLong(), buf.readBoolean(), buf.readInt());
    }
}
