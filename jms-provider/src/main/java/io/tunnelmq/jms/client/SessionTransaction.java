package io.tunnelmq.jms.client;

import io.tunnelmq.jms.engine.LockOutcome;
import io.tunnelmq.jms.message.ExceptionLinks;
import io.tunnelmq.protocol.ErrorCode;

import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TransactionRolledBackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commit and rollback of a transacted session. The broker stages the session's sends and holds its
 * completions; before Commit or Rollback the session sends the messages consumed in the transaction as one
 * COMPLETE settlement (the broker applies it on commit and turns it into an abandon on rollback). After a
 * rollback the buffered messages are released so redelivery keeps the queue order.
 */
final class SessionTransaction {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTransaction.class);

    private final JmsSession session;

    SessionTransaction(JmsSession session) {
        this.session = session;
    }

    void commit() throws JMSException {
        checkUsable("commit()");
        session.completions().awaitCallbacks(null, asyncSendTimeout());
        completeConsumed();
        try {
            Await.result(session.engine().commit(), requestTimeout(), "commit on session " + session.logId());
        } catch (JMSException e) {
            if (ErrorCode.TIMEOUT.name().equals(e.getErrorCode())) {
                throw e; // the outcome is unknown: it is not honest to say it was rolled back
            }
            if (ErrorCode.CONNECTION_FAILED.name().equals(e.getErrorCode())) {
                // the connection broke after the commit was written: the broker may have applied it
                throw ExceptionLinks.link(new JMSException("the outcome of the commit on session " + session.logId()
                        + " is unknown: the connection failed before the broker answered (" + e.getMessage()
                        + "); if it was not applied, its received messages come again with JMSRedelivered=true",
                        e.getErrorCode()), e);
            }
            // the broker rolled back: the consumed messages come again, the buffered ones must not overtake them
            try {
                session.dispatcher().pause();
                OrderedRedelivery.rewind(session, null, "rollback after a failed commit");
            } catch (JMSException releaseFailure) {
                LOG.debug("session {}: releasing buffered messages after a failed commit: {}", session.logId(),
                        releaseFailure.getMessage());
            } finally {
                session.dispatcher().resume();
            }
            TransactionRolledBackException rolledBack = new TransactionRolledBackException("the commit on session "
                    + session.logId() + " failed and the transaction was rolled back: " + e.getMessage(),
                    e.getErrorCode());
            throw ExceptionLinks.link(rolledBack, e);
        }
    }

    void rollback() throws JMSException {
        checkUsable("rollback()");
        session.completions().awaitCallbacks(null, asyncSendTimeout());
        session.dispatcher().pause();
        try {
            completeConsumed();
            OrderedRedelivery.rewind(session, () -> session.engine().rollback(), "rollback on session "
                    + session.logId());
        } finally {
            session.dispatcher().resume();
        }
    }

    private void checkUsable(String what) throws JMSException {
        session.checkOpen(what);
        if (session.mode() != Session.SESSION_TRANSACTED) {
            throw JmsExceptions.illegalState(what + " is only allowed on a transacted session");
        }
        if (session.dispatcher().inCompletionListener()) {
            throw JmsExceptions.illegalState(what + " must not be called from a CompletionListener (JMS 2.0)");
        }
    }

    /** Sends the transaction's consumed messages as one held COMPLETE, ahead of the Commit or Rollback. */
    private void completeConsumed() {
        long[] consumed = session.acks().takeUnsettled();
        if (consumed.length == 0) {
            return;
        }
        session.engine().settle(LockOutcome.COMPLETE, consumed, null, false).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("session {}: completing {} consumed messages failed: {}", session.logId(), consumed.length,
                        e.getMessage());
            }
        });
    }

    private long requestTimeout() {
        return session.connection().requestWaitMillis();
    }

    private long asyncSendTimeout() {
        return session.connection().sendWaitMillis();
    }
}
