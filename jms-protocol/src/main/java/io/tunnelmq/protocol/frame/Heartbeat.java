package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.Protocol;

/** Keeps an idle connection alive; either side sends it when it has sent nothing for a heartbeat interval. */
public record Heartbeat() implements Frame {
    public static final Heartbeat INSTANCE = new Heartbeat();

    @Override
    public int channel() {
        return Protocol.CONTROL_CHANNEL;
    }

    @Override
    public FrameType type() {
        return FrameType.HEARTBEAT;
    }

    @Override
    public void writeBody(ByteBuf buf) {
    }

    static Heartbeat read(int channel, ByteBuf buf) {
        return INSTANCE;
    }
}
