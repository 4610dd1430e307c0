package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Wire;

import java.util.Objects;

/**
 * A failure. With a request id it answers that request and nothing else changes. Without one
 * ({@code requestId == 0}) it ends its scope: on channel 0 the connection, on another channel that session.
 *
 * @param channel   the channel of the failed request, or of the scope that ends
 * @param requestId the request answered, or 0
 * @param code      what went wrong, as a stable wire code
 * @param message   what was wrong and what the caller can do
 */
public record ErrorFrame(int channel, long requestId, ErrorCode code, String message) implements Frame {

    public ErrorFrame {
        Frames.requireChannel(channel);
        if (requestId < 0) {
            throw new IllegalArgumentException("request id must be >= 0, was " + requestId);
        }
        Objects.requireNonNull(code, "code");
        message = message == null ? code.name() : message;
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
    }

    static ErrorFrame read(int channel, ByteBuf buf) {
        return new ErrorFrame(channel, buf.readLong(), ErrorCode.of(buf.readShort()), Wire.readString(buf));
    }
}
