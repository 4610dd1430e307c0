package io.tunnelmq.jms;

import jakarta.jms.Session;

/**
 * TunnelMQ's {@link Session}, adding one acknowledge mode to the standard ones. Every session a TunnelMQ
 * connection creates implements this interface.
 *
 * <pre>{@code
 * Session session = connection.createSession(false, TunnelSession.INDIVIDUAL_ACKNOWLEDGE);
 * Message m = session.createConsumer(queue).receive();
 * m.acknowledge();   // completes this message only
 * }</pre>
 */
public interface TunnelSession extends Session {

    /**
     * With this acknowledge mode {@link jakarta.jms.Message#acknowledge()} completes only the message it is
     * called on, instead of every message the session has delivered (as {@link #CLIENT_ACKNOWLEDGE} does).
     * {@link #recover()} redelivers the messages not yet acknowledged. The value follows the convention of
     * other providers to use numbers above 100 for vendor modes.
     */
    int INDIVIDUAL_ACKNOWLEDGE = 101;
}
