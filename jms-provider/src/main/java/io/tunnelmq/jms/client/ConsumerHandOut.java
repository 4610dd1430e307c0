package io.tunnelmq.jms.client;

import io.tunnelmq.jms.engine.ConsumerSpec;
import io.tunnelmq.jms.engine.Delivery;
import io.tunnelmq.jms.engine.LockOutcome;
import io.tunnelmq.jms.message.JmsMessage;
import io.tunnelmq.jms.message.WireMessages;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between a consumer's buffer and the application: the checks a buffered delivery passes before the application gets
 * it (lock still held, body decodable, not expired), the credit its taking gives the broker, and a taken delivery put
 * back.
 */
final class ConsumerHandOut {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerHandOut.class);

    private final JmsMessageConsumer consumer;
    private final JmsSession session;
    private final ConsumerSpec spec;
    private final ConsumerBuffer buffer;
    private final ConsumerFeed feed;

    ConsumerHandOut(JmsMessageConsumer consumer, JmsSession session, ConsumerSpec spec, ConsumerBuffer buffer,
                    ConsumerFeed feed) {
        this.consumer = consumer;
        this.session = session;
        this.spec = spec;
        this.buffer = buffer;
        this.feed = feed;
    }

    /**
     * Turns a buffered delivery into the application's message and records it as delivered; returns null
     * (after settling it) for a message that expired or whose body cannot be decoded.
     */
    JmsMessage prepare(ConsumerBuffer.Entry entry) {
        Delivery d = entry.delivery();
        if (spec.prefetch() > 0 && !entry.returned()) {
            consumer.engine().taken(1, d.message().sizeEstimate()); // with prefetch 0 credit comes only from pull()
        }
        if (lockLost(d)) {
            // the broker unlocked it (expired, or not renewed): it may already be someone else's, so never hand it out
            LOG.debug("session {}: skipping buffered message {} on {}: its lock {} was lost", session.logId(),
                    d.message().messageId(), spec.destination(), d.lockToken());
            session.engine().dropped(d.lockToken());
            feed.declined();
            return null;
        }
        JmsMessage m;
        try {
            m = WireMessages.fromDelivery(d, session.acks(), session.serializablePackages());
        } catch (JMSException e) {
            LOG.warn("session {}: message {} on {} cannot be decoded and goes to the dead-letter queue: {}",
                    session.logId(), d.message().messageId(), spec.destination(), e.getMessage());
            settleQuietly(LockOutcome.DEAD_LETTER, d.lockToken(), "the client cannot decode the body: "
                    + e.getMessage());
            return null;
        }
        long expiration = d.message().expiration();
        if (expiration != 0 && expiration <= System.currentTimeMillis()) {
            // an expired message is not given to the application; completing it lets the broker discard it
            LOG.debug("session {}: message {} expired before delivery and is discarded", session.logId(),
                    d.message().messageId());
            settleQuietly(LockOutcome.COMPLETE, d.lockToken(), null);
            return null;
        }
        session.acks().delivered(m);
        return m;
    }

    /** The engine no longer knows the lock, or its expiry has passed. */
    private boolean lockLost(Delivery d) {
        long lockedUntil = session.engine().lockedUntil(d.lockToken());
        return lockedUntil == 0 || lockedUntil <= System.currentTimeMillis();
    }

    /** A taken delivery goes back to the head of the buffer, or to the broker if the consumer closed meanwhile. */
    void putBack(Delivery d) {
        if (!buffer.putBack(d)) {
            settleQuietly(LockOutcome.RELEASE, d.lockToken(), null);
        } else {
            consumer.nudgeListener();
        }
    }

    private void settleQuietly(LockOutcome outcome, long token, String reason) {
        session.engine().settle(outcome, new long[] {token}, reason, false).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("session {}: {} of lock {} failed: {}", session.logId(), outcome, token, e.getMessage());
            }
        });
    }

    /** The body receiveBody returns: JMSConsumer's Javadoc admits text, bytes, map and object messages only. */
    static <T> T receivableBody(JmsMessage m, Class<T> type) throws JMSException {
        if (!(m instanceof TextMessage || m instanceof BytesMessage || m instanceof MapMessage
                || m instanceof ObjectMessage)) {
            throw new MessageFormatException("receiveBody cannot return the body of a "
                    + (m instanceof StreamMessage ? "StreamMessage" : "plain Message")
                    + ": only text, bytes, map and object messages have a body it can return; use receive()");
        }
        return m.getBody(type);
    }
}
