package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.Protocol;

/**
 * Unsolicited news of the broker's free receive-buffer space for this connection. The broker sends it when
 * space frees up after it last reported a window too small for the client to go on (every {@link Ok} already
 * carries the figure, so this is needed only when no request is outstanding to carry it).
 */
public record WindowUpdate(long freeBytes) implements Frame {

    public WindowUpdate {
        if (freeBytes < 0) {
            throw new IllegalArgumentException("free bytes must be >= 0, was " + freeBytes);
        }
    }

    @Override
    public int channel() {
        return Protocol.CONTROL_CHANNEL;
    }

    @Override
    public FrameType type() {
        return FrameType.WINDOW_UPDATE;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(freeBytes);
    }

    static WindowUpdate read(int channel, ByteBuf buf) {
        return new WindowUpdate(buf.readLong());
    }
}
