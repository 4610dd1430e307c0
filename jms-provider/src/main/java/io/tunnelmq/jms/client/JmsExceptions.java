package io.tunnelmq.jms.client;

import static io.tunnelmq.jms.message.ExceptionLinks.link;

import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.protocol.ErrorCode;

import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageNotWriteableRuntimeException;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.ResourceAllocationRuntimeException;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.TransactionRolledBackException;
import jakarta.jms.TransactionRolledBackRuntimeException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.LongFunction;

/**
 * The one place where engine failures become JMS exceptions ({@link #toJms}) and JMS exceptions become the
 * unchecked ones of {@link jakarta.jms.JMSContext} ({@link #toRuntime}). Every exception made here names the
 * wire error code as its JMS error code and carries the original as cause and linked exception.
 */
public final class JmsExceptions {
    private JmsExceptions() {
    }

    /** The JMS exception for any failure of an engine call. */
    public static JMSException toJms(Throwable failure) {
        return toJms(failure, null);
    }

    /**
     * The JMS exception for a failure, its message prefixed with what the caller was doing.
     *
     * @param context for example "cannot connect to broker at localhost:9494"; may be null
     */
    public static JMSException toJms(Throwable failure, String context) {
        Throwable t = unwrap(failure);
        if (t instanceof JMSException j && context == null) {
            return j;
        }
        String message = context == null ? t.getMessage() : context + ": " + t.getMessage();
        if (t instanceof EngineException e) {
            return link(create(e.code(), message), e);
        }
        if (t instanceof JMSException j) {
            return link(new JMSException(message, j.getErrorCode()), j);
        }
        return link(new JMSException(message == null ? t.toString() : message), t);
    }

    /**
     * The JMS exception for a failed acknowledgement (a COMPLETE of several locks). When the broker lists the locks
     * it could not settle, the message names the JMSMessageIDs of those messages, which will be delivered again,
     * and says the others were acknowledged.
     *
     * @param failure    the failure of the settlement (an engine failure, or the JMS exception made of it)
     * @param what       what was being done ("acknowledging 3 message(s)")
     * @param tokens     the lock tokens of the messages acknowledged, in delivery order
     * @param messageIds their JMSMessageIDs, index for index (null for a message sent without one)
     */
    static JMSException unsettled(Throwable failure, String what, long[] tokens, String[] messageIds) {
        EngineException engine = engineCause(failure);
        if (engine == null) {
            return toJms(failure, what + " failed; those messages may be delivered again");
        }
        Set<Long> unsettled = new HashSet<>();
        for (long token : engine.lockTokens()) {
            unsettled.add(token);
        }
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) { // in delivery order
            if (unsettled.contains(tokens[i])) {
                lost.add(named(tokens[i], messageIds[i]));
            }
        }
        if (lost.isEmpty() && tokens.length == 1 && isLockLoss(engine.code())) {
            lost.add(named(tokens[0], messageIds[0])); // only one message it can be about
        }
        String message;
        if (lost.isEmpty()) {
            message = what + " failed: " + engine.getMessage() + (isLockLoss(engine.code())
                    ? "; the messages whose locks were lost will be delivered again, the others were acknowledged"
                    : "; those messages may be delivered again");
        } else {
            int acknowledged = tokens.length - lost.size();
            message = what + " failed for " + lost.size() + " of " + tokens.length + " message(s): their locks"
                    + " were lost (" + engine.code() + ": " + engine.getMessage() + "), so they will be delivered"
                    + " again: " + String.join(", ", lost) + (acknowledged == 0 ? "; none was acknowledged"
                    : "; the other " + acknowledged + " message(s) were acknowledged");
        }
        return link(create(engine.code(), message), engine);
    }

    /**
     * A completion sent without waiting that the broker reported failed ({@code SettleFailed}): names each message by
     * its JMSMessageID where {@code known} still has it, else by its lock token.
     */
    static JMSException laterUnsettled(EngineException reported, LongFunction<String> known) {
        List<String> lost = new ArrayList<>();
        for (long token : reported.lockTokens()) {
            String id = known.apply(token);
            lost.add(id != null ? id : "(lock token " + token + ")");
        }
        return link(create(reported.code(), "an earlier acknowledgement failed for " + lost.size() + " message(s): "
                + "their locks were lost (" + reported.code() + ": " + reported.getMessage() + "), so they will be"
                + " delivered again: " + String.join(", ", lost) + "; the other messages it acknowledged were"
                + " acknowledged"), reported);
    }

    private static String named(long token, String messageId) {
        return messageId != null ? messageId : "(message without JMSMessageID, lock token " + token + ")";
    }

    private static boolean isLockLoss(ErrorCode code) {
        return code == ErrorCode.LOCK_EXPIRED || code == ErrorCode.UNKNOWN_LOCK_TOKEN;
    }

    /** The engine failure behind a failure, if there is one (also inside a JMS exception made from it). */
    private static EngineException engineCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EngineException e) {
                return e;
            }
            if (t instanceof JMSException j && j.getLinkedException() instanceof EngineException e) {
                return e;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** The JMS exception class for a wire error code. */
    static JMSException create(ErrorCode code, String message) {
        String errorCode = code.name();
        return switch (code) {
            case INVALID_SELECTOR -> new InvalidSelectorException(message, errorCode);
            case INVALID_DESTINATION -> new InvalidDestinationException(message, errorCode);
            case ILLEGAL_STATE, UNKNOWN_LOCK_TOKEN, LOCK_EXPIRED, UNKNOWN_CHANNEL, UNKNOWN_CONSUMER ->
                    new IllegalStateException(message, errorCode);
            case AUTHENTICATION_FAILED, NOT_AUTHORIZED -> new JMSSecurityException(message, errorCode);
            case INVALID_CLIENT_ID -> new InvalidClientIDException(message, errorCode);
            case TRANSACTION_ROLLED_BACK -> new TransactionRolledBackException(message, errorCode);
            case RESOURCE_EXHAUSTED -> new ResourceAllocationException(message, errorCode);
            default -> new JMSException(message, errorCode);
        };
    }

    /** The unchecked twin of a JMS exception, for {@link jakarta.jms.JMSContext} and its producers and consumers. */
    public static JMSRuntimeException toRuntime(JMSException e) {
        String m = e.getMessage();
        String c = e.getErrorCode();
        JMSRuntimeException r;
        if (e instanceof IllegalStateException) {
            r = new IllegalStateRuntimeException(m, c, e);
        } else if (e instanceof InvalidClientIDException) {
            r = new InvalidClientIDRuntimeException(m, c, e);
        } else if (e instanceof InvalidDestinationException) {
            r = new InvalidDestinationRuntimeException(m, c, e);
        } else if (e instanceof InvalidSelectorException) {
            r = new InvalidSelectorRuntimeException(m, c, e);
        } else if (e instanceof JMSSecurityException) {
            r = new JMSSecurityRuntimeException(m, c, e);
        } else if (e instanceof MessageFormatException) {
            r = new MessageFormatRuntimeException(m, c, e);
        } else if (e instanceof MessageNotWriteableException) {
            r = new MessageNotWriteableRuntimeException(m, c, e);
        } else if (e instanceof ResourceAllocationException) {
            r = new ResourceAllocationRuntimeException(m, c, e);
        } else if (e instanceof TransactionInProgressException) {
            r = new TransactionInProgressRuntimeException(m, c, e);
        } else if (e instanceof TransactionRolledBackException) {
            r = new TransactionRolledBackRuntimeException(m, c, e);
        } else {
            r = new JMSRuntimeException(m, c, e);
        }
        return r;
    }

    /** An IllegalStateException with the given message. */
    static IllegalStateException illegalState(String message) {
        return new IllegalStateException(message, ErrorCode.ILLEGAL_STATE.name());
    }

    /** The failure inside a future's CompletionException or ExecutionException wrappers. */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
