package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.Wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * The broker asks a consumer to give back prefetched messages so an idle competing consumer can have them.
 * The client answers with a {@link Settle} of outcome {@link SettleOutcome#RELEASE} for those the application
 * has not taken yet; the rest it keeps.
 */
public record Revoke(int channel, int consumerId, long[] lockTokens) implements Frame {

    public Revoke {
        Frames.requireSessionChannel(channel);
        Frames.requireConsumerId(consumerId);
        Objects.requireNonNull(lockTokens, "lockTokens");
    }

    @Override
    public FrameType type() {
        return FrameType.REVOKE;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeInt(consumerId);
        Wire.writeLongs(buf, lockTokens);
    }

    static Revoke read(int channel, ByteBuf buf) {
        return new Revoke(channel, buf.readInt(), Wire.readLongs(buf));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Revoke r && r.channel == channel && r.consumerId == consumerId
                && Arrays.equals(r.lockTokens, lockTokens);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channel, consumerId) * 31 + Arrays.hashCode(lockTokens);
    }

    @Override
    public String toString() {
        return "Revoke[channel=" + channel + ", consumerId=" + consumerId + ", lockTokens="
                + Arrays.toString(lockTokens) + "]";
    }
}
