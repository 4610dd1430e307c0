package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.Objects;

/**
 * A producer's message. Answered {@link Ok} (carrying the broker's free receive-buffer space, counted from the end of
 * this send) once the message is accepted — for a persistent message, once it is stored — or {@link ErrorFrame}. In a
 * transacted session the message is staged until {@link Commit}.
 *
 * <p>A send with request id {@link Protocol#NO_REPLY} (non-persistent, outside a transaction, only to a broker that
 * agreed to {@link Hello#OPTION_UNANSWERED_SENDS}) is not answered when accepted; a refusal comes as
 * {@link SendFailed}, and the window it used is reported by {@link WindowUpdate}s.
 *
 * @param stamp the producer's id and sequence, so the broker stores a resent message once; null from an older peer,
 *              for a non-persistent message and in a transacted session (trailing optional field)
 */
public record Send(int channel, long requestId, WireMessage message, ProducerStamp stamp) implements Frame {

    public Send {
        Frames.requireSessionChannel(channel);
        if (requestId != Protocol.NO_REPLY) {
            Frames.requireRequestId(requestId);
        }
        Objects.requireNonNull(message, "message");
    }

    /** A send without a stamp: the broker never takes it for a resend. */
    public Send(int channel, long requestId, WireMessage message) {
        this(channel, requestId, message, null);
    }

    @Override
    public FrameType type() {
        return FrameType.SEND;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        message.write(buf);
        if (stamp != null) {
            stamp.write(buf);
        }
    }

    static Send read(int channel, ByteBuf buf) {
        long requestId = buf.readLong();
        WireMessage message = WireMessage.read(buf);
        return new Send(channel, requestId, message, buf.isReadable() ? ProducerStamp.read(buf) : null);
    }
}
