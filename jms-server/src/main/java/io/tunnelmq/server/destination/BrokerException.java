package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.ErrorCode;

import java.util.Objects;

/**
 * A request the broker refuses, with the wire code to answer it with. The message says what was wrong and
 * what the client can do; it goes to the client verbatim.
 */
public class BrokerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public BrokerException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
