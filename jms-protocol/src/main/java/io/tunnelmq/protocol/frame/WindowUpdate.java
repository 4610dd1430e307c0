package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.Wire;

/**
 * Unsolicited news of the broker's free receive-buffer space for this connection. The broker sends it when
 * space frees up after it last reported a window too small for the client to go on (every {@link Ok} already
 * carries the figure, so this is needed only when no request is outstanding to carry it), and when the window
 * closes for a reason the client should give its application if a send times out waiting (the broker's disk limit
 * is reached).
 *
 * @param freeBytes the free space now
 * @param reason    why the window is closed, for the client's error message; null when it is not closed for a
 *                  reason worth telling
 */
public record WindowUpdate(long freeBytes, String reason) implements Frame {

    public WindowUpdate {
        if (freeBytes < 0) {
            throw new IllegalArgumentException("free bytes must be >= 0, was " + freeBytes);
        }
    }

    /** News of free space, with no reason. */
    public WindowUpdate(long freeBytes) {
        this(freeBytes, null);
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
        Wire.writeString(buf, reason);
    }

    static WindowUpdate read(int channel, ByteBuf buf) {
        long free = buf.readLong();
        // a peer of the first protocol version sends the figure alone
        return new WindowUpdate(free, buf.isReadable() ? Wire.readString(buf) : null);
    }
}
