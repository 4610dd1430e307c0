package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.Wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * Settles locks held by this session. With a request id the broker answers {@link Ok} or an
 * {@link ErrorFrame} naming the first unknown or expired token (the others are still settled); with
 * request id 0 it answers nothing (fire-and-forget, used for AUTO_ACKNOWLEDGE completions).
 * In a transacted session completions are held until {@link Commit}. {@link SettleOutcome#RENEW} is answered by
 * {@link LocksRenewed} instead of {@link Ok}, and never with an error: a lock that could not be renewed reports 0.
 *
 * @param requestId  request id, or 0 for no answer
 * @param outcome    what to do with the messages
 * @param lockTokens the locks, in delivery order
 * @param reason     for {@link SettleOutcome#DEAD_LETTER}: why; otherwise null
 */
public record Settle(int channel, long requestId, SettleOutcome outcome, long[] lockTokens, String reason)
        implements Frame {

    public Settle {
        Frames.requireSessionChannel(channel);
        if (requestId < 0) {
            throw new IllegalArgumentException("request id must be >= 0, was " + requestId);
        }
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(lockTokens, "lockTokens");
    }

    @Override
    public FrameType type() {
        return FrameType.SETTLE;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        buf.writeByte(outcome.code());
        Wire.writeLongs(buf, lockTokens);
        Wire.writeString(buf, reason);
    }

    static Settle read(int channel, ByteBuf buf) {
        return new Settle(channel, buf.readLong(), SettleOutcome.of(buf.readByte()), Wire.readLongs(buf),
                Wire.readString(buf));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settle s && s.channel == channel && s.requestId == requestId && s.outcome == outcome
                && Arrays.equals(s.lockTokens, lockTokens) && Objects.equals(s.reason, reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channel, requestId, outcome, reason) * 31 + Arrays.hashCode(lockTokens);
    }

    @Override
    public String toString() {
        return "Settle[channel=" + channel + ", requestId=" + requestId + ", outcome=" + outcome
                + ", lockTokens=" + Arrays.toString(lockTokens) + ", reason=" + reason + "]";
    }
}
