package io.tunnelmq.jms.client;

import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.SendListener;
import io.tunnelmq.jms.engine.SendTicket;
import io.tunnelmq.jms.message.JmsMessage;
import io.tunnelmq.jms.message.WireMessages;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import jakarta.jms.CompletionListener;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends messages for one producer (a MessageProducer or a JMSProducer): stamps the JMS headers on the
 * application's message, converts it to the wire form and waits as its delivery mode requires — a PERSISTENT
 * send until the broker confirmed it, a NON_PERSISTENT one not at all while it is pipelined: up to
 * {@value #PIPELINED_SENDS} non-persistent sends may be on their way into the send window, and only a send beyond
 * that waits until it fit the window and was written (at most the send timeout, then it fails saying why). So a
 * producer costs no thread hand-off per message while the window is open, and is held when it is spent. A
 * non-persistent send that later fails (refused by the broker, or timed out waiting for the window) is logged and
 * reported by this producer's next send or close, which look at the outcome of the sends before them.
 *
 * <p>Every producer has an id of 128 random bits (unique across clients and restarts) and numbers its persistent sends
 * 1, 2, 3, ...; both ride in the Send frame, so the broker stores a persistent message once if it is sent again after
 * its confirmation was lost. Sends in a transacted session are not stamped: a commit is atomic, and a resent commit is
 * not de-duplicated.
 */
final class MessageSender {
    private static final Logger LOG = LoggerFactory.getLogger(MessageSender.class);

    private final JmsSession session;
    private final String messageIdPrefix;
    private final AtomicLong sequence = new AtomicLong();
    private final UUID producerId = UUID.randomUUID();
    /** The last persistent sequence. */
    private final AtomicLong persistentSequence = new AtomicLong();
    private final AtomicReference<JMSException> laterFailure = new AtomicReference<>();
    /**
     * Non-persistent sends handed to the engine whose outcome this producer has not looked at yet, oldest first: the
     * front ones, once written, are looked at when the next send or close asks for an earlier failure. Guarded by
     * itself.
     */
    private final ArrayDeque<Pipelined> pipelined = new ArrayDeque<>();

    /** Non-persistent sends that may be on their way into the send window before a send waits for its write. */
    static final int PIPELINED_SENDS = 64;

    MessageSender(JmsSession session) {
        this.session = session;
        this.messageIdPrefix = session.connection().newMessageIdPrefix();
    }

    /**
     * Sends a message.
     *
     * @param listener null for a blocking send, else the JMS 2.0 asynchronous send's listener
     */
    void send(Destination destination, Message message, SendOptions options, CompletionListener listener)
            throws JMSException {
        session.checkOpen("send");
        throwLaterFailure();
        if (message == null) {
            throw new MessageFormatException("the message to send must not be null");
        }
        SendOptions.checkDeliveryMode(options.deliveryMode());
        SendOptions.checkPriority(options.priority());
        WireDestination target = WireMessages.toWireDestination(destination);
        session.connection().temporaryDestinations().checkSendable(target);

        // headers go on the application's message (the spec says so) and, for another provider's message,
        // on our copy too, since its getters are not ours to trust
        JmsMessage own = WireMessages.asOwn(message);
        long now = System.currentTimeMillis();
        String messageId = options.disableMessageId() ? null : messageIdPrefix + sequence.incrementAndGet();
        stamp(own, destination, options, now, messageId);
        if (own != message) {
            stamp(message, destination, options, now, messageId);
        }
        WireMessage wire = WireMessages.toWire(own);

        if (listener == null && !wire.persistent()) {
            sendPipelined(wire, target);
            return;
        }
        SendTicket ticket;
        if (wire.persistent() && !session.transacted()) {
            // numbered and handed on together: the broker takes a sequence at or below the last one for a resend
            synchronized (persistentSequence) {
                ticket = session.engine().send(wire, new ProducerStamp(producerId,
                        persistentSequence.incrementAndGet()));
            }
        } else {
            ticket = session.engine().send(wire);
        }
        if (listener != null) {
            session.completions().track(this, message, listener, ticket.confirmed());
            return;
        }
        Await.result(ticket.confirmed(), session.connection().sendWaitMillis(),
                "sending message " + wire.messageId() + " to " + target);
    }

    /** A blocking non-persistent send: returns once handed to the engine, unless too many are still unwritten. */
    private void sendPipelined(WireMessage wire, WireDestination target) throws JMSException {
        Pipelined sent = new Pipelined(wire.messageId(), target);
        session.engine().sendUnanswered(wire, sent);
        if (pipelineFull(sent)) {
            // wait for this send itself, so an exception thrown here is always about this message
            try {
                Await.result(sent.done(), session.connection().sendWaitMillis(),
                        "sending message " + wire.messageId() + " to " + target);
            } catch (JMSException | RuntimeException e) {
                forget(sent); // reported here, not again by the next send
                throw e;
            }
        }
    }

    /** Tracks a non-persistent send; true if more than {@link #PIPELINED_SENDS} are still not looked at. */
    private boolean pipelineFull(Pipelined sent) {
        synchronized (pipelined) {
            pipelined.addLast(sent);
            return pipelined.size() > PIPELINED_SENDS;
        }
    }

    private void forget(Pipelined sent) {
        synchronized (pipelined) {
            pipelined.removeLastOccurrence(sent);
        }
    }

    /**
     * Looks at the sends at the front of the pipeline that were written or failed: a failed one becomes the failure
     * the next send (or close) reports. Reading the outcome here, on the application's thread, spares the event loop a
     * lock per send; a send whose broker answers it after all is reported at once if it fails after this look.
     */
    private void lookAtWritten() {
        synchronized (pipelined) {
            while (!pipelined.isEmpty() && pipelined.peekFirst().done) {
                Pipelined p = pipelined.pollFirst();
                p.lookedAt = true;
                if (p.failure != null) {
                    failed(p, p.failure);
                }
            }
        }
    }

    private void failed(Pipelined p, EngineException e) {
        LOG.warn("session {}: non-persistent message {} to {} was not sent: {}", session.logId(), p.messageId,
                p.target, e.getMessage());
        laterFailure.compareAndSet(null, JmsExceptions.toJms(e, "an earlier non-persistent send ("
                + p.messageId + " to " + p.target + ") failed"));
    }

    /**
     * A non-persistent send handed to the engine, told on the event loop whether it was written or failed, and what
     * names it in a later report. The loop's part is a volatile write, and a future's completion only when the producer
     * waits for this send.
     */
    private final class Pipelined implements SendListener {
        private final String messageId;
        private final WireDestination target;
        /** Written, confirmed or failed: no longer counts against the pipeline. */
        private volatile boolean done;
        /** Created only when the producer waits for this send. */
        private volatile CompletableFuture<Void> waiter;
        /** Why it failed, until looked at; guarded by {@link #pipelined}. */
        private EngineException failure;
        /** Taken off the pipeline by {@link #lookAtWritten}: a later failure is reported at once; guarded likewise. */
        private boolean lookedAt;

        Pipelined(String messageId, WireDestination target) {
            this.messageId = messageId;
            this.target = target;
        }

        @Override
        public void onWritten() {
            finish(null);
        }

        @Override
        public void onConfirmed() {
            finish(null);
        }

        @Override
        public void onFailed(EngineException cause) {
            synchronized (pipelined) {
                if (lookedAt) {
                    failed(this, cause);
                } else if (failure == null) {
                    failure = cause;
                }
            }
            finish(cause);
        }

        private void finish(EngineException cause) {
            done = true;
            CompletableFuture<Void> w = waiter;
            if (w != null) {
                complete(w, cause);
            }
        }

        /** Completes when the send is written (or fails with why it was not); for a producer that must wait. */
        CompletableFuture<Void> done() {
            CompletableFuture<Void> w = new CompletableFuture<>();
            waiter = w;
            if (done) { // it finished before the waiter was seen: complete it here (twice is harmless)
                EngineException cause;
                synchronized (pipelined) {
                    cause = failure;
                }
                complete(w, cause);
            }
            return w;
        }

        private static void complete(CompletableFuture<Void> w, EngineException cause) {
            if (cause == null) {
                w.complete(null);
            } else {
                w.completeExceptionally(cause);
            }
        }
    }

    private static void stamp(Message m, Destination destination, SendOptions options, long now, String messageId)
            throws JMSException {
        m.setJMSDestination(destination);
        m.setJMSDeliveryMode(options.deliveryMode());
        m.setJMSPriority(options.priority());
        m.setJMSTimestamp(options.disableTimestamp() ? 0 : now);
        m.setJMSExpiration(options.timeToLive() > 0 ? now + options.timeToLive() : 0);
        m.setJMSDeliveryTime(now + options.deliveryDelay());
        m.setJMSMessageID(messageId);
    }

    /**
     * Throws (once) the failure of an earlier non-persistent send: this producer's, or one the broker refused
     * without being asked to answer (any producer of the session).
     */
    void throwLaterFailure() throws JMSException {
        lookAtWritten();
        // read before taking: a send must not pay for an atomic write when nothing failed (nearly always)
        JMSException e = laterFailure.get() == null ? null : laterFailure.getAndSet(null);
        if (e != null) {
            throw e;
        }
        EngineException refused = session.engine().takeFailedSends();
        if (refused != null) {
            throw JmsExceptions.toJms(refused);
        }
    }
}
