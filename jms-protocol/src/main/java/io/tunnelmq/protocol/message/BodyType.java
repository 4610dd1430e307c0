package io.tunnelmq.protocol.message;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.ProtocolException;

/** Which JMS message type a body belongs to; the client encodes and decodes the body bytes. */
public enum BodyType {
    MESSAGE(0), TEXT(1), BYTES(2), MAP(3), STREAM(4), OBJECT(5);

    private final int code;

    BodyType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** {@code values()} once: it copies the array on every call, and this runs per decoded frame. */
    private static final BodyType[] ALL = values();

    public static BodyType of(int code) {
        for (BodyType t : ALL) {
            if (t.code == code) {
                return t;
            }
        }
        throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "unknown body type " + code);
    }
}
