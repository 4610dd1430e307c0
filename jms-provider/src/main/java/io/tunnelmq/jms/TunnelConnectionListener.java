package io.tunnelmq.jms;

import jakarta.jms.JMSException;

/**
 * Hears when a TunnelMQ connection loses its broker and when it is back (TunnelMQ's extension, like Qpid JMS's
 * {@code JmsConnectionListener}). With the URL option {@code reconnect=true} (the default) the connection
 * re-establishes itself and its sessions, consumers and producers without the application noticing; this listener
 * is for applications that want to know anyway (to log it, to show a status, to pause work). The
 * {@link jakarta.jms.ExceptionListener} hears only when the connection gives up.
 *
 * <p>Called on a TunnelMQ thread, one call at a time and in order, never while a TunnelMQ lock is held; a listener
 * may call the connection (its calls block until the connection is restored, as any other call's do).
 */
public interface TunnelConnectionListener {

    /**
     * The connection to the broker was lost and the client is reconnecting. Messages the application received and
     * has not acknowledged can no longer be acknowledged (they come again, flagged {@code JMSRedelivered}); a
     * transaction in progress will roll back at its commit.
     *
     * @param brokerAddress the broker lost, as {@code host:port}
     * @param cause         why it was lost
     */
    default void interrupted(String brokerAddress, JMSException cause) {
    }

    /**
     * The connection is established again and every session, consumer and producer of it works again.
     *
     * @param brokerAddress the broker now serving the connection, as {@code host:port} (another one than before
     *                      when the connection failed over)
     */
    default void restored(String brokerAddress) {
    }
}
