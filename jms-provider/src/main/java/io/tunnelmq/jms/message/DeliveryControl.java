package io.tunnelmq.jms.message;

import io.tunnelmq.jms.engine.LockOutcome;

import jakarta.jms.JMSException;

/**
 * What a received message calls back into its session for: {@link jakarta.jms.Message#acknowledge()} and the
 * {@link io.tunnelmq.jms.LockedMessage} settlements. Implemented by the session that received the message.
 */
public interface DeliveryControl {

    /**
     * The application called {@code acknowledge()} on a message of this session; what that means depends on
     * the acknowledge mode.
     */
    void acknowledge(JmsMessage message) throws JMSException;

    /**
     * Settles the message's lock and waits for the broker's answer.
     *
     * @param reason for {@link LockOutcome#DEAD_LETTER}, or null
     */
    void settle(JmsMessage message, LockOutcome outcome, String reason) throws JMSException;

    /**
     * Renews the message's lock and waits for the broker's answer.
     *
     * @return the new expiry, epoch millis on this client's clock
     * @throws jakarta.jms.IllegalStateException if the session no longer holds the lock
     */
    long renewLock(JmsMessage message) throws JMSException;

    /**
     * The latest known expiry of the message's lock (epoch millis, client clock), or 0 if the session no longer
     * holds it. Does not block.
     */
    long lockedUntil(JmsMessage message);
}
