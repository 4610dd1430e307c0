package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;

/**
 * Every frame type with its stable wire code and the reader of its body. Codes are never reused; a new
 * frame type takes a new code.
 */
public enum FrameType {
    HELLO(1, Scope.CONTROL, Hello::read),
    WELCOME(2, Scope.CONTROL, Welcome::read),
    HEARTBEAT(3, Scope.CONTROL, Heartbeat::read),
    DISCONNECT(4, Scope.CONTROL, Disconnect::read),
    WINDOW_UPDATE(7, Scope.CONTROL, WindowUpdate::read),
    OK(5, Scope.ANY, Ok::read),
    ERROR(6, Scope.ANY, ErrorFrame::read),
    LOCKS_RENEWED(25, Scope.SESSION, LocksRenewed::read),
    OPEN_SESSION(10, Scope.SESSION, OpenSession::read),
    CLOSE_SESSION(11, Scope.SESSION, CloseSession::read),
    CREATE_CONSUMER(12, Scope.SESSION, CreateConsumer::read),
    CLOSE_CONSUMER(13, Scope.SESSION, CloseConsumer::read),
    SEND(20, Scope.SESSION, Send::read),
    SEND_FAILED(29, Scope.SESSION, SendFailed::read),
    DELIVER(21, Scope.SESSION, Deliver::read),
    CREDIT(22, Scope.SESSION, Credit::read),
    SETTLE(23, Scope.SESSION, Settle::read),
    REVOKE(24, Scope.SESSION, Revoke::read),
    SETTLE_FAILED(28, Scope.SESSION, SettleFailed::read),
    COMMIT(30, Scope.SESSION, Commit::read),
    ROLLBACK(31, Scope.SESSION, Rollback::read),
    COMMIT_QUERY(32, Scope.SESSION, CommitQuery::read),
    UNSUBSCRIBE(14, Scope.SESSION, Unsubscribe::read),
    BROWSE(26, Scope.SESSION, Browse::read),
    BROWSED(27, Scope.SESSION, Browsed::read),
    CREATE_TEMPORARY(8, Scope.CONTROL, CreateTemporary::read),
    DELETE_TEMPORARY(9, Scope.CONTROL, DeleteTemporary::read),
    CHECK_ACCESS(16, Scope.CONTROL, CheckAccess::read),
    ADMIN_REQUEST(17, Scope.CONTROL, AdminRequest::read),
    ADMIN_REPLY(18, Scope.CONTROL, AdminReply::read);

    /** Which channels a frame type may travel on. */
    public enum Scope { CONTROL, SESSION, ANY }

    /** Reads a frame body (the bytes after the header) into its record. */
    @FunctionalInterface
    interface BodyReader {
        Frame read(int channel, ByteBuf body);
    }

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) {
            if (BY_CODE[t.code] != null) {
                throw new ExceptionInInitializerError("duplicate frame type code " + t.code);
            }
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final Scope scope;
    private final BodyReader reader;

    FrameType(int code, Scope scope, BodyReader reader) {
        this.code = code;
        this.scope = scope;
        this.reader = reader;
    }

    public int code() {
        return code;
    }

    public Scope scope() {
        return scope;
    }

    /** The type for a wire code, or null if this build does not know it. */
    public static FrameType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Reads the body of a frame of this type that arrived on {@code channel}. */
    public Frame read(int channel, ByteBuf body) {
        return reader.read(channel, body);
    }
}
