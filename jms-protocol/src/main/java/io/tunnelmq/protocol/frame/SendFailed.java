package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Wire;

import java.util.Objects;

/**
 * The broker's word that a {@link Send} nobody waits for (request id 0) was refused; nothing of it was kept. Sent on
 * the session's channel, in order with the session's other answers; the session goes on (an {@link ErrorFrame}
 * without a request id would end it). The client reports it to the application at the session's next send.
 *
 * @param code      why, as an {@link ErrorFrame} would say it
 * @param messageId the refused message's JMSMessageID, or null when it had none
 * @param message   what was refused and why, for people
 */
public record SendFailed(int channel, ErrorCode code, String messageId, String message) implements Frame {

    public SendFailed {
        Frames.requireSessionChannel(channel);
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public FrameType type() {
        return FrameType.SEND_FAILED;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeShort(code.code());
        Wire.writeString(buf, messageId);
        Wire.writeString(buf, message);
    }

    static SendFailed read(int channel, ByteBuf buf) {
        ErrorCode code = ErrorCode.of(buf.readShort());
        return new SendFailed(channel, code, Wire.readString(buf), Wire.readString(buf));
    }
}
