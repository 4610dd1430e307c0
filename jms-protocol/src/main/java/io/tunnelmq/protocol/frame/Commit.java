package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.message.ProducerStamp;

/**
 * Commits a transacted session: every staged send is published and every held completion applied, atomically.
 * Answered by {@link Ok}, or {@link ErrorFrame} with {@code TRANSACTION_ROLLED_BACK} when nothing was applied.
 *
 * @param transactionId the client's id of this transaction (its session's random id and the transaction's number in
 *                      the session, from 1), or null. A broker records the id of a commit it applied in the same
 *                      atomic store write as the commit's effects, so after a lost answer a client can ask with
 *                      {@link CommitQuery} whether it was applied. Trailing optional field: written only when set,
 *                      and a client sets it only for a broker whose {@link Welcome} names its store (older brokers
 *                      refuse trailing bytes).
 */
public record Commit(int channel, long requestId, ProducerStamp transactionId) implements Frame {

    /** A commit without a transaction id. */
    public Commit(int channel, long requestId) {
        this(channel, requestId, null);
    }

    public Commit {
        Frames.requireSessionChannel(channel);
        Frames.requireRequestId(requestId);
    }

    @Override
    public FrameType type() {
        return FrameType.COMMIT;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        if (transactionId != null) {
            transactionId.write(buf);
        }
    }

    static Commit read(int channel, ByteBuf buf) {
        return new Commit(channel, buf.readLong(), buf.isReadable() ? ProducerStamp.read(buf) : null);
    }
}
