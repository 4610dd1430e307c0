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
    RENEW(5);

    private final int code;

    SettleOutcome(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static SettleOutcome of(int code) {
        for (SettleOutcome o : values()) {
            if (o.code == code) {
                return o;
            }
        }
        throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "unknown settle outcome " + code);
    }
}
