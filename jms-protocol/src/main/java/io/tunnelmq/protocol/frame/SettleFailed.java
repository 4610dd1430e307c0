package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * The broker's word that a {@link Settle} nobody waits for (request id 0) could not settle some of its lock tokens;
 * the others were settled. Sent on the session's channel; the session goes on (an {@link ErrorFrame} without a
 * request id would end it). A client that acknowledges non-persistent messages without waiting reports it to the
 * application at its next acknowledge.
 *
 * @param outcome    what the Settle asked for
 * @param code       why: {@code LOCK_EXPIRED} when any lock expired first (those messages come again), else
 *                   {@code UNKNOWN_LOCK_TOKEN}
 * @param message    which tokens and why, for people
 * @param lockTokens every token that was not settled
 */
public record SettleFailed(int channel, SettleOutcome outcome, ErrorCode code, String message, long[] lockTokens)
        implements Frame {

    public SettleFailed {
        Frames.requireSessionChannel(channel);
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(lockTokens, "lockTokens");
    }

    @Override
    public FrameType type() {
        return FrameType.SETTLE_FAILED;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeByte(outcome.code());
        buf.writeShort(code.code());
        Wire.writeString(buf, message);
        Wire.writeLongs(buf, lockTokens);
    }

    static SettleFailed read(int channel, ByteBuf buf) {
        SettleOutcome outcome = SettleOutcome.of(buf.readByte());
        ErrorCode code = ErrorCode.of(buf.readShort());
        return new SettleFailed(channel, outcome, code, Wire.readString(buf), Wire.readLongs(buf));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SettleFailed f && f.channel == channel && f.outcome == outcome && f.code == code
                && f.message.equals(message) && Arrays.equals(f.lockTokens, lockTokens);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channel, outcome, code, message) * 31 + Arrays.hashCode(lockTokens);
    }

    @Override
    public String toString() {
        return "SettleFailed[channel=" + channel + ", outcome=" + outcome + ", code=" + code + ", message=" + message
                + ", lockTokens=" + Arrays.toString(lockTokens) + "]";
    }
}
