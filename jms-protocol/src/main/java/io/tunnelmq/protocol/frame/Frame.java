package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;

/**
 * One unit of the tunnel. On the wire a frame is {@code length:int32 | type:uint8 | channel:int32 | body},
 * where length counts everything after itself. Channel 0 is connection control; every other channel is one
 * JMS session. Frames are immutable records validated in their constructors; each knows how to write its
 * body, and {@link FrameType} knows how to read it.
 */
public sealed interface Frame permits Hello, Welcome, Heartbeat, Disconnect, WindowUpdate, Ok, LocksRenewed, ErrorFrame, OpenSession,
        CloseSession, CreateConsumer, CloseConsumer, Send, Deliver, Credit, Settle, Commit, CommitQuery, Rollback,
        Revoke, SettleFailed, SendFailed, Unsubscribe, Browse, Browsed, CreateTemporary, DeleteTemporary, CheckAccess, AdminRequest,
        AdminReply {

    /** The channel this frame travels on: 0 for connection control, otherwise the session's channel. */
    int channel();

    FrameType type();

    /** Writes the body (everything after the header). */
    void writeBody(ByteBuf buf);
}
