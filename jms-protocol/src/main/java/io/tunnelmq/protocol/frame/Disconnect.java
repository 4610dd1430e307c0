package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.Protocol;

/**
 * The client closes its connection: the broker abandons every lock the connection holds, closes its
 * sessions, answers {@link Ok} and closes the socket.
 */
public record Disconnect(long requestId) implements Frame {

    public Disconnect {
        Frames.requireRequestId(requestId);
    }

    @Override
    public int channel() {
        return Protocol.CONTROL_CHANNEL;
    }

    @Override
    public FrameType type() {
        return FrameType.DISCONNECT;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
    }

    static Disconnect read(int channel, ByteBuf buf) {
        return new Disconnect(buf.readLong());
    }
}
