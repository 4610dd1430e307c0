package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.message.ProducerStamp;

import java.util.Objects;

/**
 * Asks whether the broker applied the commit that carried this transaction id ({@link Commit#transactionId()}):
 * sent by a client whose connection was lost before the commit's answer, on a new connection to a broker with the
 * same store ({@link Welcome#storeId()}). Answered by {@link Ok} (it was applied), by {@link ErrorFrame} with
 * {@code TRANSACTION_ROLLED_BACK} (it was not, and never will be), or by another {@link ErrorFrame} when the broker
 * cannot tell (it no longer remembers the session's transactions).
 *
 * <p>A frame of its own rather than a flag on {@link Commit}: a question must never commit the staged work of the
 * session it travels on, and a broker that does not know it refuses it instead of committing.
 */
public record CommitQuery(int channel, long requestId, ProducerStamp transactionId) implements Frame {

    public CommitQuery {
        Frames.requireSessionChannel(channel);
        Frames.requireRequestId(requestId);
        Objects.requireNonNull(transactionId, "transactionId");
    }

    @Override
    public FrameType type() {
        return FrameType.COMMIT_QUERY;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        transactionId.write(buf);
    }

    static CommitQuery read(int channel, ByteBuf buf) {
        return new CommitQuery(channel, buf.readLong(), ProducerStamp.read(buf));
    }
}
