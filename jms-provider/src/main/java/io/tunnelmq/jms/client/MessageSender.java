package io.tunnelmq.jms.client;

import io.tunnelmq.jms.engine.SendTicket;
import io.tunnelmq.jms.message.JmsMessage;
import io.tunnelmq.jms.message.WireMessages;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends messages for one producer (a MessageProducer or a JMSProducer): stamps the JMS headers on the
 * application's message, converts it to the wire form and waits as its delivery mode requires — a PERSISTENT
 * send until the broker confirmed it, a NON_PERSISTENT one until it fit the send window and was written. A
 * non-persistent send that the broker later refuses is logged and reported by this producer's next send or
 * close.
 */
final class MessageSender {
    private static final Logger LOG = LoggerFactory.getLogger(MessageSender.class);

    private final JmsSession session;
    private final String messageIdPrefix;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReference<JMSException> laterFailure = new AtomicReference<>();

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

        SendTicket ticket = session.engine().send(wire);
        if (listener != null) {
            session.completions().track(this, message, listener, ticket.confirmed());
            return;
        }
        var opts = session.connection().options();
        long timeout = opts.sendTimeoutMillis() + opts.requestTimeoutMillis();
        String what = "sending message " + wire.messageId() + " to " + target;
        if (options.deliveryMode() == DeliveryMode.PERSISTENT) {
            Await.result(ticket.confirmed(), timeout, what);
        } else {
            Await.result(ticket.written(), timeout, what);
            ticket.confirmed().whenComplete((v, e) -> {
                if (e != null) {
                    LOG.warn("session {}: the broker refused non-persistent message {} to {}: {}", session.logId(),
                            wire.messageId(), target, e.getMessage());
                    laterFailure.compareAndSet(null, JmsExceptions.toJms(e, "an earlier non-persistent send ("
                            + wire.messageId() + " to " + target + ") failed"));
                }
            });
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

    /** Throws (once) the failure of an earlier non-persistent send. */
    void throwLaterFailure() throws JMSException {
        JMSException e = laterFailure.getAndSet(null);
        if (e != null) {
            throw e;
        }
    }
}
