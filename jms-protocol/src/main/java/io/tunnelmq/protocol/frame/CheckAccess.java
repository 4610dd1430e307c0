package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.Permission;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.message.WireDestination;

import java.util.Objects;

/**
 * Asks the broker whether this connection's user has a permission on a destination (channel 0), so that a JMS call
 * that sends nothing to the broker by itself — creating a producer for a destination, creating a browser — can be
 * refused at once. Answered by {@link Ok}, or {@link ErrorFrame} with {@code NOT_AUTHORIZED}. A client sends it only
 * to a broker whose {@link Welcome#accessChecked()} says it checks permissions; the broker still checks every Send,
 * CreateConsumer and Browse itself.
 *
 * @param destination the destination (a temporary one stands for every temporary destination)
 * @param permission  the permission asked about; for {@code SEND} the broker also asks for {@code CREATE} when the
 *                    destination does not exist yet (the first send would create it)
 */
public record CheckAccess(long requestId, WireDestination destination, Permission permission) implements Frame {

    public CheckAccess {
        Frames.requireRequestId(requestId);
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(permission, "permission");
    }

    @Override
    public int channel() {
        return Protocol.CONTROL_CHANNEL;
    }

    @Override
    public FrameType type() {
        return FrameType.CHECK_ACCESS;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        destination.write(buf);
        buf.writeByte(permission.code());
    }

    static CheckAccess read(int channel, ByteBuf buf) {
        return new CheckAccess(buf.readLong(), WireDestination.read(buf), Permission.of(buf.readUnsignedByte()));
    }
}
