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
 * <p>To a client that sends unanswered sends ({@link Hello#OPTION_UNANSWERED_SENDS}) it is also their
 * acknowledgement: the broker sends one when the window it last granted is half spent, and {@code received} says how
 * far the report reaches, so the client knows which of its sends the free figure already counts.
 *
 * @param freeBytes the free space now
 * @param reason    why the window is closed, for the client's error message; null when it is not closed for a
 *                  reason worth telling
 * @param received  the bytes of Send frames (by {@code WireMessage.sizeEstimate}) the broker had received on this
 *                  connection when it measured {@code freeBytes}; -1 when not told (a broker that answers every Send,
 *                  trailing optional field)
 */
public record WindowUpdate(long freeBytes, String reason, long received) implements Frame {

    public WindowUpdate {
        if (freeBytes < 0) {
            throw new IllegalArgumentException("free bytes must be >= 0, was " + freeBytes);
        }
        if (received < -1) {
            throw new IllegalArgumentException("received bytes must be >= 0 (or -1: not told), was " + received);
        }
    }

    /** News of free space, with no reason. */
    public WindowUpdate(long freeBytes) {
        this(freeBytes, null);
    }

    /** News of free space, not saying how far it reaches. */
    public WindowUpdate(long freeBytes, String reason) {
        this(freeBytes, reason, -1);
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
        if (received >= 0) {
            buf.writeLong(received);
        }
    }

    static WindowUpdate read(int channel, ByteBuf buf) {
        long free = buf.readLong();
        // a peer of the first protocol version sends the figure alone
        String reason = buf.isReadable() ? Wire.readString(buf) : null;
        return new WindowUpdate(free, reason, buf.isReadable() ? buf.readLong() : -1);
    }
}
