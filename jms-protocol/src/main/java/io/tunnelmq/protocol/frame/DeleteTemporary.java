package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.message.WireDestination;

/**
 * Deletes a temporary destination this connection created (channel 0), with its messages. Answered by
 * {@link Ok}; {@link ErrorFrame} with {@code ILLEGAL_STATE} while it has consumers, {@code INVALID_DESTINATION}
 * if it does not exist or belongs to another connection.
 */
public record DeleteTemporary(long requestId, WireDestination destination) implements Frame {

    public DeleteTemporary {
        Frames.requireRequestId(requestId);
        Frames.requireTemporary(destination);
    }

    @Override
    public int channel() {
        return Protocol.CONTROL_CHANNEL;
    }

    @Override
    public FrameType type() {
        return FrameType.DELETE_TEMPORARY;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        destination.write(buf);
    }

    static DeleteTemporary read(int channel, ByteBuf buf) {
        return new DeleteTemporary(buf.readLong(), WireDestination.read(buf));
    }
}
