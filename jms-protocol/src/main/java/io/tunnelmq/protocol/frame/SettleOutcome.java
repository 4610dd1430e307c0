package io.tunnelmq.protocol.frame;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.ProtocolException;

/** What a {@link Settle} does with the locks it names. The codes are wire numbers. */
public enum SettleOutcome {
    /** Delete the messages. */
    COMPLETE(1),
    /** Unlock the messages and raise their delivery count; they return to their place in the queue. */
    ABANDON(2),
    /** Unlock messages the application never saw (prefetch release, revocation); delivery count unchanged. */
    RELEASE(3),
    /** Move the messages to the dead-letter queue with the given reason. */
    DEAD_LETTER(4),
    /** Extend the locks by the lock duration. */
    RENEW(5),
    /**
     * The application has been handed these messages (receive returned them, onMessage got them); the locks stay.
     * From now on the application may have seen them, so losing such a lock (abandon, expiry, session closed,
     * connection lost, broker crash) raises the delivery count and marks the next delivery redelivered. Until then
     * a lost lock releases the message with its count unchanged. Sent fire-and-forget; never held by a
     * transaction; a token the session no longer holds is ignored.
     */
    TAKEN(6);

    private final int code;

    SettleOutcome(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** {@code values()} once: it copies the array on every call, and this runs per decoded frame. */
    private static final SettleOutcome[] ALL = values();

    public static SettleOutcome of(int code) {
        for (SettleOutcome o : ALL) {
            if (o.code == code) {
                return o;
            }
        }
        throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "unknown settle outcome " + code);
    }
}
