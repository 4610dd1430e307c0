package io.tunnelmq.jms;

import jakarta.jms.Connection;

/**
 * TunnelMQ's {@link Connection}: every connection a {@link TunnelConnectionFactory} creates implements it.
 *
 * <pre>{@code
 * TunnelConnection connection = (TunnelConnection) factory.createConnection();
 * connection.setConnectionListener(new TunnelConnectionListener() {
 *     public void interrupted(String broker, JMSException cause) { log.warn("lost {}, reconnecting", broker); }
 *     public void restored(String broker) { log.info("back on {}", broker); }
 * });
 * }</pre>
 */
public interface TunnelConnection extends Connection {

    /**
     * Sets the listener told when the connection is interrupted and restored, replacing any earlier one; null
     * removes it.
     */
    void setConnectionListener(TunnelConnectionListener listener);

    /** The listener set, or null. */
    TunnelConnectionListener getConnectionListener();
}
