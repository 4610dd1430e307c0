package io.tunnelmq.jms.client;

import io.tunnelmq.jms.TunnelSession;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.LockOutcome;
import io.tunnelmq.jms.message.DeliveryControl;
import io.tunnelmq.jms.message.JmsMessage;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The session's acknowledgement bookkeeping: which delivered messages are still locked to it, and when their
 * locks are settled, following the acknowledge mode.
 *
 * <ul>
 *   <li>AUTO: complete (fire-and-forget) when receive returns or onMessage returns; abandon if onMessage throws.
 *   <li>DUPS_OK: complete in batches of {@value #DUPS_OK_BATCH}, or when the consumer runs dry, or on close.
 *   <li>CLIENT: {@code acknowledge()} completes everything the session delivered so far.
 *   <li>INDIVIDUAL: {@code acknowledge()} completes that message only.
 *   <li>CLIENT and INDIVIDUAL wait for the broker's answer when a persistent message is among those acknowledged
 *       (its deletion is then on disk). Acknowledging only non-persistent messages does not wait: the completion
 *       is written in order (gathered with the session's other completions, no answer on success) and a failure
 *       (the lock was lost, so the message comes again; the broker reports it with a {@code SettleFailed} frame naming
 *       the lock tokens) is thrown by the next {@code acknowledge()}, like a failed pipelined non-persistent send.
 *   <li>When the locks of some acknowledged messages were lost, the exception names their JMSMessageIDs (they will
 *       be delivered again); the others were acknowledged. Either way none of them is the session's any more, so
 *       recover and rollback do not touch them.
 *   <li>transacted: messages stay here until commit or rollback takes them.
 * </ul>
 * Also the {@link DeliveryControl} of the session's messages. Thread-safe.
 */
final class SessionAcks implements DeliveryControl {
    private static final Logger LOG = LoggerFactory.getLogger(SessionAcks.class);
    static final int DUPS_OK_BATCH = 32;

    private final JmsSession session;
    private final int mode;
    /** Delivered to the application, lock not yet settled, with its JMSMessageID; in delivery order. */
    private final UnsettledMessages unsettled = new UnsettledMessages();
    /** DUPS_OK: consumed, completion not yet sent. */
    private final Set<Long> dupsOkPending = new LinkedHashSet<>();
    /**
     * The JMSMessageIDs of the latest messages acknowledged without waiting, by lock token, so a failure the broker
     * reports later can name them (older ones are named by lock token).
     */
    private final RecentAcknowledgements unanswered = new RecentAcknowledgements(UNANSWERED_NAMED);
    static final int UNANSWERED_NAMED = 1_024;

    SessionAcks(JmsSession session, int mode) {
        this.session = session;
        this.mode = mode;
    }

    /**
     * True when a message the application could not take (receiveBody of the wrong type) is handed out again as if
     * that call had not happened: AUTO and DUPS_OK. The other modes count it as delivered.
     */
    boolean retakesRefusedMessages() {
        return mode == Session.AUTO_ACKNOWLEDGE || mode == Session.DUPS_OK_ACKNOWLEDGE;
    }

    /** The application is about to get the message. */
    synchronized void delivered(JmsMessage message) {
        unsettled.add(message.lockToken(), message.getJMSMessageID(),
                message.getJMSDeliveryMode() == DeliveryMode.PERSISTENT);
    }

    /** The application did not get the message after all: it goes back to the consumer's buffer. */
    synchronized void undelivered(JmsMessage message) {
        unsettled.remove(message.lockToken());
    }

    /**
     * The application is handed the message: receive returns it, or onMessage is about to get it. The broker is told
     * (from now on a lost lock counts as a delivery), except for an AUTO_ACKNOWLEDGE receive, which completes the
     * message in the same call: that completion says more, and costs no extra frame.
     *
     * @param completedAtOnce a receive, which applies the acknowledge mode right after
     */
    void handedOut(JmsMessage message, boolean completedAtOnce) {
        if (!(completedAtOnce && mode == Session.AUTO_ACKNOWLEDGE)) {
            session.engine().handedOut(message.lockToken());
        }
    }

    /**
     * The application is done with a message: receive returned it, or onMessage returned or threw.
     *
     * @param listenerFailed onMessage threw a RuntimeException
     */
    void consumed(JmsMessage message, boolean listenerFailed) {
        long token = message.lockToken();
        if (mode == Session.AUTO_ACKNOWLEDGE) {
            if (forget(token)) {
                if (listenerFailed) {
                    settleAsync(LockOutcome.ABANDON, new long[] {token});
                } else {
                    session.engine().completeUnanswered(new long[] {token});
                }
            }
        } else if (mode == Session.DUPS_OK_ACKNOWLEDGE) {
            if (listenerFailed) {
                if (forget(token)) {
                    settleAsync(LockOutcome.ABANDON, new long[] {token});
                }
                return;
            }
            long[] batch = null;
            synchronized (this) {
                if (unsettled.remove(token)) {
                    dupsOkPending.add(token);
                    if (dupsOkPending.size() >= DUPS_OK_BATCH) {
                        batch = takeAll(dupsOkPending);
                    }
                }
            }
            if (batch != null) {
                session.engine().completeUnanswered(batch);
            }
        }
        // CLIENT, INDIVIDUAL and transacted: the message stays unsettled until acknowledge/commit/rollback/recover
    }

    /** Whether DUPS_OK completions may be waiting for {@link #flushDupsOk} (never in the other modes). */
    boolean batchesCompletions() {
        return mode == Session.DUPS_OK_ACKNOWLEDGE;
    }

    /** A consumer ran dry or is closing: send the DUPS_OK completions held back so far. */
    void flushDupsOk() {
        long[] batch;
        synchronized (this) {
            batch = takeAll(dupsOkPending);
        }
        session.engine().completeUnanswered(batch); // nothing when the batch is empty
    }

    /** Takes every unsettled message (and DUPS_OK completions not yet sent), for recover, commit and rollback. */
    synchronized long[] takeUnsettled() {
        long[] pending = takeAll(dupsOkPending);
        long[] delivered = unsettled.takeAll().tokens();
        long[] all = Arrays.copyOf(pending, pending.length + delivered.length);
        System.arraycopy(delivered, 0, all, pending.length, delivered.length);
        return all;
    }

    /** CLIENT_ACKNOWLEDGE (or JMSContext.acknowledge): completes every message delivered so far. */
    void acknowledgeAll() throws JMSException {
        throwLaterFailure();
        UnsettledMessages.Taken acknowledged;
        boolean anyPersistent;
        synchronized (this) {
            anyPersistent = unsettled.anyPersistent();
            acknowledged = unsettled.takeAll();
        }
        if (acknowledged.tokens().length > 0) {
            complete(acknowledged, anyPersistent,
                    () -> "acknowledging " + acknowledged.tokens().length + " message(s)");
        }
    }

    /**
     * Completes acknowledged messages: waiting for the broker when a persistent one is among them.
     *
     * @param acknowledged the lock tokens and JMSMessageIDs of the messages acknowledged, in delivery order
     */
    private void complete(UnsettledMessages.Taken acknowledged, boolean anyPersistent, Supplier<String> what)
            throws JMSException {
        long[] tokens = acknowledged.tokens();
        if (anyPersistent) {
            try {
                Await.result(session.engine().settle(LockOutcome.COMPLETE, tokens, null, true),
                        session.connection().requestWaitMillis(), what.get());
            } catch (JMSException e) {
                throw JmsExceptions.unsettled(e, what.get(), tokens, acknowledged.messageIds());
            }
            return;
        }
        // non-persistent: written in order with the session's other completions, no answer; one that fails (the
        // broker could not complete the lock, or it was never written) comes back as a report
        // (takeFailedCompletions), thrown by the next acknowledge
        synchronized (this) {
            for (int i = 0; i < tokens.length; i++) {
                unanswered.add(tokens[i], acknowledged.messageIds()[i]);
            }
        }
        session.engine().completeUnanswered(tokens);
    }

    private void throwLaterFailure() throws JMSException {
        EngineException reported = session.engine().takeFailedCompletions();
        if (reported != null) {
            synchronized (this) {
                throw JmsExceptions.laterUnsettled(reported, unanswered::idOf);
            }
        }
    }

    @Override
    public void acknowledge(JmsMessage message) throws JMSException {
        session.checkOpen("Message.acknowledge()");
        if (mode == Session.CLIENT_ACKNOWLEDGE) {
            acknowledgeAll();
        } else if (mode == TunnelSession.INDIVIDUAL_ACKNOWLEDGE) {
            throwLaterFailure();
            if (forget(message.lockToken())) {
                complete(UnsettledMessages.Taken.one(message.lockToken(), message.getJMSMessageID()),
                        message.getJMSDeliveryMode() == DeliveryMode.PERSISTENT,
                        () -> "acknowledging message " + message.getJMSMessageID());
            }
        }
        // AUTO, DUPS_OK and transacted sessions ignore acknowledge(), as the spec says
    }

    @Override
    public void settle(JmsMessage message, LockOutcome outcome, String reason) throws JMSException {
        session.checkOpen("settling a message's lock");
        long token = message.lockToken();
        synchronized (this) {
            unsettled.remove(token);
            dupsOkPending.remove(token);
        }
        session.settleAndWait(outcome, new long[] {token}, reason,
                outcome.name().toLowerCase(java.util.Locale.ROOT) + " of message " + message.getJMSMessageID());
    }

    @Override
    public long renewLock(JmsMessage message) throws JMSException {
        session.checkOpen("renewing a message's lock");
        long token = message.lockToken();
        long[] until = Await.result(session.engine().renewLocks(new long[] {token}),
                session.connection().requestWaitMillis(),
                "renewing the lock of message " + message.getJMSMessageID());
        if (until.length == 0 || until[0] == 0) {
            throw JmsExceptions.illegalState("the lock on message " + message.getJMSMessageID() + " (lock token "
                    + token + ") was lost: it expired or was settled; the message may be delivered again");
        }
        return until[0];
    }

    @Override
    public long lockedUntil(JmsMessage message) {
        return session.engine().lockedUntil(message.lockToken());
    }

    private synchronized boolean forget(long token) {
        return unsettled.remove(token);
    }

    private void settleAsync(LockOutcome outcome, long[] tokens) {
        session.engine().settle(outcome, tokens, null, false).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("session {}: {} of {} messages failed: {}", session.logId(), outcome, tokens.length,
                        e.getMessage());
            }
        });
    }

    private static long[] takeAll(Set<Long> tokens) {
        long[] out = new long[tokens.size()];
        int i = 0;
        for (long t : tokens) {
            out[i++] = t;
        }
        tokens.clear();
        return out;
    }
}
