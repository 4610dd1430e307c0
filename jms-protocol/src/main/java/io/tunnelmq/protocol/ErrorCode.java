package io.tunnelmq.protocol;

/**
 * Error codes carried by {@code Error} frames. The numbers are part of the wire format: never renumber,
 * only append. The client maps each code to the matching JMS exception in one place.
 */
public enum ErrorCode {
    /** A frame could not be decoded: truncated, trailing bytes, or an invalid field. Closes the connection. */
    MALFORMED_FRAME(1),
    /** A frame's length exceeds the negotiated maximum. Closes the connection. */
    FRAME_TOO_LARGE(2),
    /** The frame type code is not known to this peer. Closes the connection. */
    UNKNOWN_FRAME_TYPE(3),
    /** The peer speaks a protocol version this side does not support. Closes the connection. */
    UNSUPPORTED_VERSION(4),
    /** User name or password were rejected. */
    AUTHENTICATION_FAILED(5),
    /** The user may not perform the operation. */
    NOT_AUTHORIZED(6),
    /** The client ID is malformed or already in use by another connection. */
    INVALID_CLIENT_ID(7),
    /** The destination does not exist, has the wrong kind, or may not be used by this connection. */
    INVALID_DESTINATION(8),
    /** A message selector could not be parsed. */
    INVALID_SELECTOR(9),
    /** The operation is not allowed in the current state (closed session, frame out of sequence, ...). */
    ILLEGAL_STATE(10),
    /** A settlement named a lock token that this session does not hold. */
    UNKNOWN_LOCK_TOKEN(11),
    /** The lock had already expired when the settlement arrived; the message was made available again. */
    LOCK_EXPIRED(12),
    /** A commit could not be completed; the transaction was rolled back. */
    TRANSACTION_ROLLED_BACK(13),
    /** The broker is out of a resource (memory, disk, send window) and refused the request. */
    RESOURCE_EXHAUSTED(14),
    /** A frame named a channel that is not open on this connection. */
    UNKNOWN_CHANNEL(15),
    /** A frame named a consumer that is not open on this session. */
    UNKNOWN_CONSUMER(16),
    /** The message store failed to write or read. */
    STORE_FAILURE(17),
    /** A message is larger than the broker accepts. */
    MESSAGE_TOO_LARGE(18),
    /** A frame arrived that is valid but not expected here (for example a second Hello). */
    PROTOCOL_VIOLATION(19),
    /** The broker is shutting down. */
    SHUTTING_DOWN(20),
    /** A subscription could not be created or removed as asked (in use, unknown name, ...). */
    INVALID_SUBSCRIPTION(21),
    /** The connection could not be established, or was lost (socket closed, heartbeats stopped). Raised locally. */
    CONNECTION_FAILED(22),
    /** The peer did not answer in time. Raised locally. */
    TIMEOUT(23),
    /** An unexpected failure inside the broker; the message says what. */
    INTERNAL_ERROR(99);

    private static final ErrorCode[] BY_CODE = new ErrorCode[100];

    static {
        for (ErrorCode c : values()) {
            BY_CODE[c.code] = c;
        }
    }

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The stable wire number of this code. */
    public int code() {
        return code;
    }

    /** The code for a wire number; unknown numbers map to {@link #INTERNAL_ERROR} so a newer peer never breaks us. */
    public static ErrorCode of(int code) {
        ErrorCode c = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        return c != null ? c : INTERNAL_ERROR;
    }
}
