package io.tunnelmq.protocol.frame;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.ProtocolException;

/**
 * The management operations an {@link AdminRequest} may ask for, with the arguments each takes. The codes are wire
 * numbers: never renumber, only append.
 */
public enum AdminOperation {
    /** List queues, topics and subscriptions with their figures. No arguments. */
    QUEUES(1),
    /** Browse a queue: {@code queue}, optional {@code selector} and {@code max}. */
    BROWSE(2),
    /** Remove every waiting message of a queue: {@code queue}. */
    PURGE(3),
    /** Delete a queue: {@code queue}. */
    DELETE(4),
    /** Move or copy waiting messages: {@code from}, {@code to}, optional {@code selector}, {@code copy=true}. */
    MOVE(5),
    /** Send a dead-letter queue's messages back to where they came from: {@code queue}, optional {@code selector}. */
    REPLAY_DLQ(6),
    /** List the open client connections. No arguments. */
    CONNECTIONS(7),
    /** Close a client connection: {@code id}. */
    CLOSE(8),
    /** Close every client connection of a user (a revoked password's): {@code user}. */
    DISCONNECT(9),
    /** List what an operator must fix while the broker runs on (a file it refused, a certificate near its end). */
    PROBLEMS(10);

    /** Argument names. */
    public static final String QUEUE = "queue";
    public static final String SELECTOR = "selector";
    public static final String MAX = "max";
    public static final String FROM = "from";
    public static final String TO = "to";
    public static final String COPY = "copy";
    public static final String ID = "id";
    public static final String USER = "user";

    private final int code;

    AdminOperation(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The name operators type: {@code queues}, {@code replay-dlq}, ... */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * @throws ProtocolException {@code MALFORMED_FRAME} for a number this build does not know
     */
    public static AdminOperation of(int code) {
        for (AdminOperation o : values()) {
            if (o.code == code) {
                return o;
            }
        }
        throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "unknown admin operation " + code);
    }
}
