package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.message.WireDestination;


/**
 * Creates a temporary queue or topic owned by this connection (channel 0). The client proposes the name (it
 * embeds the connection's unique id); the broker refuses a name already in use with {@code INVALID_DESTINATION}.
 * Only the owning connection may consume from it; any connection may send to it; it is deleted with
 * {@link DeleteTemporary} or when the connection ends. Answered by {@link Ok}.
 *
 * @param destination a destination of kind TEMPORARY_QUEUE or TEMPORARY_TOPIC
 */
public record CreateTemporary(long requestId, WireDestination destination) implements Frame {

    public CreateTemporary {
        Frames.requireRequestId(requestId);
        Frames.requireTemporary(destination);
    }

    @Override
    public int channel() {
        return Protocol.CONTROL_CHANNEL;
    }

    @Override
    public FrameType type() {
        return FrameType.CREATE_TEMPORARY;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        destination.write(buf);
    }

    static CreateTemporary read(int channel, ByteBuf buf) {
        return new CreateTemporary(buf.readLong(), WireDestination.read(buf));
    }
}
