package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;

/**
 * The broker's success answer to a request. Every one carries the current free space of the broker's
 * receive buffer for this connection, so the client's send window is refreshed by the acks that flow anyway.
 *
 * @param channel   the channel of the request
 * @param requestId the id of the request answered
 * @param freeBytes free space of the broker's receive buffer for this connection, in bytes
 */
public record Ok(int channel, long requestId, long freeBytes) implements Frame {

    public Ok {
        Frames.requireChannel(channel);
        Frames.requireRequestId(requestId);
        if (freeBytes < 0) {
            throw new IllegalArgumentException("free bytes must be >= 0, was " + freeBytes);
        }
    }

    @Override
    public FrameType type() {
        return FrameType.OK;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        buf.writeLong(freeBytes);
    }

    static Ok read(int channel, ByteBuf buf) {
        return new Ok(channel, buf.readLong(), buf.readLong());
    }
}
