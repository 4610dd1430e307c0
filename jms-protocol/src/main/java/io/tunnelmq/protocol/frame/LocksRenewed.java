package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.Wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * The broker's answer to a {@link Settle} with outcome {@link SettleOutcome#RENEW}: the new expiry of each lock,
 * in the order of the request's tokens. 0 means that lock is no longer held by the session (unknown, expired,
 * or already settled) — the message may be delivered to someone else, so the client must not settle it as its own.
 *
 * @param requestId   the renew request answered
 * @param freeBytes   free space of the broker's receive buffer, as in every {@link Ok}
 * @param lockedUntil new lock expiry per token, epoch millis on the broker's clock, or 0
 */
public record LocksRenewed(int channel, long requestId, long freeBytes, long[] lockedUntil) implements Frame {

    public LocksRenewed {
        Frames.requireSessionChannel(channel);
        Frames.requireRequestId(requestId);
        if (freeBytes < 0) {
            throw new IllegalArgumentException("free bytes must be >= 0, was " + freeBytes);
        }
        Objects.requireNonNull(lockedUntil, "lockedUntil");
    }

    @Override
    public FrameType type() {
        return FrameType.LOCKS_RENEWED;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        buf.writeLong(freeBytes);
        Wire.writeLongs(buf, lockedUntil);
    }

    static LocksRenewed read(int channel, ByteBuf buf) {
        return new LocksRenewed(channel, buf.readLong(), buf.readLong(), Wire.readLongs(buf));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LocksRenewed r && r.channel == channel && r.requestId == requestId
                && r.freeBytes == freeBytes && Arrays.equals(r.lockedUntil, lockedUntil);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channel, requestId, freeBytes) * 31 + Arrays.hashCode(lockedUntil);
    }

    @Override
    public String toString() {
        return "LocksRenewed[channel=" + channel + ", requestId=" + requestId + ", freeBytes=" + freeBytes
                + ", lockedUntil=" + Arrays.toString(lockedUntil) + "]";
    }
}
