package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A failure reported by the engine: an error answer from the broker, a lost connection, a timeout. The
 * {@link ErrorCode} tells the facade which JMS exception to raise.
 */
public class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private static final long[] NONE = new long[0];

    private final ErrorCode code;
    private final long[] lockTokens;

    public EngineException(ErrorCode code, String message) {
        this(code, message, NONE);
    }

    /**
     * A failed settlement.
     *
     * @param lockTokens every lock token the settlement could not settle (the others were settled); may be empty
     */
    public EngineException(ErrorCode code, String message, long[] lockTokens) {
        super(message);
        this.code = code;
        this.lockTokens = lockTokens == null || lockTokens.length == 0 ? NONE : lockTokens.clone();
    }

    public EngineException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.lockTokens = NONE;
    }

    /** What an operation on a closed connection meets; one wording for the engine and the failover layer. */
    public static EngineException connectionClosed() {
        return new EngineException(ErrorCode.ILLEGAL_STATE, "connection is closed");
    }

    /** What an operation on a connection that failed meets: closed, and why. */
    public static EngineException connectionFailed(EngineException failure) {
        return new EngineException(ErrorCode.ILLEGAL_STATE, "connection is closed: it failed (" + failure.getMessage()
                + ")", failure);
    }

    /** The engine error inside a future's failure; anything else becomes an {@code INTERNAL_ERROR} naming it. */
    public static EngineException unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c instanceof EngineException e ? e
                : new EngineException(ErrorCode.INTERNAL_ERROR, "unexpected failure in the engine: " + c, c);
    }

    public ErrorCode code() {
        return code;
    }

    /**
     * For a failed settlement: every lock token the broker could not settle (lock expired or unknown); the other
     * tokens of that settlement were settled. Empty for other failures, and when the broker does not say.
     */
    public long[] lockTokens() {
        return lockTokens.clone();
    }
}
