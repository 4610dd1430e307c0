package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * A failure. With a request id it answers that request and nothing else changes. Without one
 * ({@code requestId == 0}) it ends its scope: on channel 0 the connection, on another channel that session.
 *
 * @param channel   the channel of the failed request, or of the scope that ends
 * @param requestId the request answered, or 0
 * @param code      what went wrong, as a stable wire code
 * @param message   what was wrong and what the caller can do
 * @param lockTokens for a failed {@link Settle}: every lock token it could not settle (the others were settled);
 *                   otherwise empty (trailing optional field)
 */
public record ErrorFrame(int channel, long requestId, ErrorCode code, String message, long[] lockTokens)
        implements Frame {

    private static final long[] NONE = new long[0];

    public ErrorFrame {
        Frames.requireChannel(channel);
        if (requestId < 0) {
            throw new IllegalArgumentException("request id must be >= 0, was " + requestId);
        }
        Objects.requireNonNull(code, "code");
        message = message == null ? code.name() : message;
        lockTokens = lockTokens == null ? NONE : lockTokens;
    }

    /** A failure that concerns no lock tokens. */
    public ErrorFrame(int channel, long requestId, ErrorCode code, String message) {
        this(channel, requestId, code, message, NONE);
    }

    @Override
    public FrameType type() {
        return FrameType.ERROR;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        buf.writeShort(code.code());
        Wire.writeString(buf, message);
        Wire.writeLongs(buf, lockTokens);
    }

    static ErrorFrame read(int channel, ByteBuf buf) {
        long requestId = buf.readLong();
        ErrorCode code = ErrorCode.of(buf.readShort());
        String message = Wire.readString(buf);
        return new ErrorFrame(channel, requestId, code, message, buf.isReadable() ? Wire.readLongs(buf) : NONE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorFrame e && e.channel == channel && e.requestId == requestId && e.code == code
                && e.message.equals(message) && Arrays.equals(e.lockTokens, lockTokens);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channel, requestId, code, message) * 31 + Arrays.hashCode(lockTokens);
    }

    @Override
    public String toString() {
        return "ErrorFrame[channel=" + channel + ", requestId=" + requestId + ", code=" + code + ", message="
                + message + (lockTokens.length == 0 ? "" : ", lockTokens=" + Arrays.toString(lockTokens)) + "]";
    }
}
