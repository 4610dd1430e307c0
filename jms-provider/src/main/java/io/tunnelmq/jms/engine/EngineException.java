package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;

/**
 * A failure reported by the engine: an error answer from the broker, a lost connection, a timeout. The
 * {@link ErrorCode} tells the facade which JMS exception to raise.
 */
public class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public EngineException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public EngineException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
