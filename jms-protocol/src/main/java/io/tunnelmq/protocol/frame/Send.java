package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.Objects;

/**
 * A producer's message. Always answered: {@link Ok} (carrying the broker's free receive-buffer space) once the
 * message is accepted — for a persistent message, once it is stored — or {@link ErrorFrame}. In a transacted
 * session the message is staged until {@link Commit}.
 */
public record Send(int channel, long requestId, WireMessage message) implements Frame {

    public Send {
        Frames.requireSessionChannel(channel);
        Frames.requireRequestId(requestId);
        Objects.requireNonNull(message, "message");
    }

    @Override
    public FrameType type() {
        return FrameType.SEND;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        message.write(buf);
    }

    static Send read(int channel, ByteBuf buf) {
        return new Send(channel, buf.readLong(), WireMessage.read(buf));
    }
}
