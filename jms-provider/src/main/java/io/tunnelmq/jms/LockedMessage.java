package io.tunnelmq.jms;

import jakarta.jms.JMSException;

/**
 * The peek-lock view of a received TunnelMQ message. Every message a TunnelMQ consumer hands to the application
 * implements this interface: while the application holds it, the broker keeps the message locked to the
 * session, and the application may settle the lock itself instead of (or before) the session's
 * acknowledge mode doing it.
 *
 * <pre>{@code
 * Message m = consumer.receive(1000);
 * if (m instanceof LockedMessage locked) {
 *     try {
 *         process(m);
 *         locked.complete();                 // delete it on the broker
 *     } catch (TransientProblem e) {
 *         locked.abandon();                  // redeliver it, delivery count + 1
 *     } catch (PoisonMessage e) {
 *         locked.deadLetter(e.getMessage()); // move it to DLQ.<queue> with the reason
 *     }
 * }
 * }</pre>
 *
 * <p>The settle methods wait for the broker's answer and fail with {@link jakarta.jms.IllegalStateException}
 * when the lock is no longer held (already settled, for example by AUTO_ACKNOWLEDGE, or expired). In a
 * transacted session {@link #complete()} takes effect at commit; the other outcomes apply at once. A message
 * that was created by the application rather than received holds no lock, and the settle methods throw
 * {@link jakarta.jms.IllegalStateException}.
 *
 * <p>The lock state is also readable as message properties: {@code JMSXDeliveryCount} (int),
 * {@value #LOCKED_UNTIL_PROPERTY} (long) and {@value #LOCK_TOKEN_PROPERTY} (String).
 */
public interface LockedMessage {

    /** Property holding {@link #getLockedUntil()} on received messages. */
    String LOCKED_UNTIL_PROPERTY = "JMS_TMQ_LockedUntil";

    /** Property holding {@link #getLockToken()} on received messages. */
    String LOCK_TOKEN_PROPERTY = "JMS_TMQ_LockToken";

    /** Deletes the message on the broker (in a transacted session: when the transaction commits). */
    void complete() throws JMSException;

    /**
     * Unlocks the message: it goes back to its original position in the queue with its delivery count raised,
     * and is redelivered (with {@code JMSRedelivered=true}) unless it has reached the queue's maximum delivery
     * count, in which case it moves to the dead-letter queue.
     */
    void abandon() throws JMSException;

    /**
     * Moves the message to the dead-letter queue {@code DLQ.<queue>}, recording the reason.
     *
     * @param reason why the message cannot be processed; may be null
     */
    void deadLetter(String reason) throws JMSException;

    /**
     * Extends the lock by the lock duration, counted from now; {@link #getLockedUntil()} then returns the broker's
     * new expiry. The session also renews the locks of the messages it holds by itself, for up to the
     * connection's {@code maxLockRenewal} (URL option, default 5 minutes) after delivery, so a slow consumer only
     * needs this for longer work.
     *
     * @throws jakarta.jms.IllegalStateException if the lock was lost (it expired or was settled): the message
     *                                           may then be delivered again, to this or another consumer
     */
    void renewLock() throws JMSException;

    /**
     * When the broker will unlock the message unless it is settled or renewed, in epoch milliseconds on this
     * client's clock (converted from the broker's). Reflects the session's automatic renewals; once the lock has
     * ended, the last expiry it was known to have.
     */
    long getLockedUntil() throws JMSException;

    /** How often the message has been delivered: 1 on the first delivery. */
    int getDeliveryCount() throws JMSException;

    /** The lock token as a string, for logs and correlation with broker logs. */
    String getLockToken() throws JMSException;
}
