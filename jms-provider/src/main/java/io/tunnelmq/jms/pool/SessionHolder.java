package io.tunnelmq.jms.pool;

import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One physical session in a connection's session pool, with what is pooled along with it: one anonymous producer
 * (every pooled producer of the session sends through it) and, if consumers are pooled, the idle consumers.
 * Used by one borrower at a time, as a JMS session must be.
 */
final class SessionHolder {
    /** What makes two consumers interchangeable. */
    record ConsumerKey(Destination destination, String selector, boolean noLocal) {
        ConsumerKey {
            Objects.requireNonNull(destination, "destination");
            selector = selector == null || selector.isBlank() ? null : selector;
        }
    }

    private final Session session;
    private final int mode;
    private final Map<ConsumerKey, MessageConsumer> idleConsumers = new HashMap<>();
    private MessageProducer producer;

    private SessionHolder(Session session, int mode) {
        this.session = session;
        this.mode = mode;
    }

    static SessionHolder open(Connection connection, int mode) throws JMSException {
        return new SessionHolder(connection.createSession(mode), mode);
    }

    Session session() {
        return session;
    }

    /** The session mode, the key in the session pool. */
    int mode() {
        return mode;
    }

    /** The session's anonymous producer, created on first use and kept for the session's life. */
    synchronized MessageProducer producer() throws JMSException {
        if (producer == null) {
            producer = session.createProducer(null);
        }
        return producer;
    }

    /** An idle pooled consumer for this key, or null. */
    synchronized MessageConsumer takeConsumer(ConsumerKey key) {
        return idleConsumers.remove(key);
    }

    /** Keeps a consumer the application closed, without its listener; a second one for the same key is closed. */
    synchronized void keepConsumer(ConsumerKey key, MessageConsumer consumer) throws JMSException {
        consumer.setMessageListener(null);
        if (idleConsumers.putIfAbsent(key, consumer) != null) {
            consumer.close();
        }
    }

    /**
     * Makes the session as the next borrower expects a new one: what the last borrower received and did not
     * commit or acknowledge is given back to the broker (rollback, recover), so the next borrower neither
     * commits nor acknowledges it by accident; the messages are redelivered as JMS says.
     */
    void reset() throws JMSException {
        if (mode == Session.SESSION_TRANSACTED) {
            session.rollback();
        } else if (mode != Session.AUTO_ACKNOWLEDGE && mode != Session.DUPS_OK_ACKNOWLEDGE) {
            // CLIENT_ACKNOWLEDGE and vendor modes such as TunnelSession.INDIVIDUAL_ACKNOWLEDGE
            session.recover();
        }
    }

    void close() {
        try {
            session.close();
        } catch (JMSException | RuntimeException e) {
            // the connection under it failed or closed: nothing is left to release
        }
    }

    @Override
    public String toString() {
        return "pooled session (mode " + mode + ")";
    }
}
