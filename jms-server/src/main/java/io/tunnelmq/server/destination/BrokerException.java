package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.ErrorCode;

import java.util.Objects;

/**
 * A request the broker refuses, with the wire code to answer it with. The message says what was wrong and
 * what the client can do; it goes to the client verbatim.
 */
public class BrokerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private static final long[] NO_TOKENS = new long[0];

    private final ErrorCode code;
    private final long[] lockTokens;

    public BrokerException(ErrorCode code, String message) {
        this(code, message, NO_TOKENS);
    }

    /** @param lockTokens for a failed settle: every lock token it could not settle (the error frame lists them) */
    public BrokerException(ErrorCode code, String message, long[] lockTokens) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.lockTokens = lockTokens.clone();
    }

    public ErrorCode code() {
        return code;
    }

    /** The lock tokens the refused request could not settle; empty for other refusals. */
    public long[] lockTokens() {
        return lockTokens.clone();
    }
}
