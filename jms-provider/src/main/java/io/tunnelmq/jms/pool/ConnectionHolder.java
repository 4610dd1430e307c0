package io.tunnelmq.jms.pool;

import io.tunnelmq.jms.client.JmsConnection;
import io.tunnelmq.jms.client.JmsContext;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;
import org.apache.commons.pool2.impl.GenericKeyedObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * One physical connection in the pool, with its pool of sessions. It is lent to one {@link PooledConnection} at a
 * time; its own ExceptionListener marks it failed (so the pool destroys it instead of lending it again) and passes
 * the exception on to the borrower's listener, if any.
 */
final class ConnectionHolder {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHolder.class);

    private final PooledConnectionFactory owner;
    private final Credentials credentials;
    private volatile Connection physical;
    private volatile GenericKeyedObjectPool<Integer, SessionHolder> sessions;
    private JMSContext contexts; // guarded by this; the anchor JMSContexts are made from, opened on first use
    private volatile PooledConnection lease;
    private volatile boolean failed;
    private volatile boolean dedicated;

    private ConnectionHolder(PooledConnectionFactory owner, Credentials credentials) {
        this.owner = owner;
        this.credentials = credentials;
    }

    static ConnectionHolder connect(PooledConnectionFactory owner, Credentials credentials) throws JMSException {
        ConnectionHolder holder = new ConnectionHolder(owner, credentials);
        holder.attach(owner.open(credentials));
        return holder;
    }

    private void attach(Connection connection) throws JMSException {
        connection.setExceptionListener(e -> {
            failed = true;
            LOG.warn("pooled connection ({}) failed and leaves the pool: {}", credentials, e.toString());
            PooledConnection borrower = lease;
            if (borrower != null) {
                borrower.onException(e);
            }
        });
        GenericKeyedObjectPoolConfig<SessionHolder> config = new GenericKeyedObjectPoolConfig<>();
        config.setMaxTotal(owner.getMaxSessionsPerConnection());
        config.setMaxTotalPerKey(owner.getMaxSessionsPerConnection());
        config.setMaxIdlePerKey(owner.getMaxSessionsPerConnection());
        config.setBlockWhenExhausted(owner.isBlockIfExhausted());
        config.setMaxWait(Duration.ofMillis(owner.getMaxWaitMillis()));
        config.setJmxEnabled(false);
        this.physical = connection;
        this.sessions = new GenericKeyedObjectPool<>(new SessionHolderFactory(connection), config);
    }

    Connection physical() {
        return physical;
    }

    Credentials credentials() {
        return credentials;
    }

    /** False once the connection failed or carries a borrower's client ID: the pool must destroy it. */
    boolean reusable() {
        return !failed && !dedicated;
    }

    void lend(PooledConnection borrower) {
        this.lease = borrower;
    }

    /**
     * Called when the borrower has closed its sessions: the connection goes back stopped and listener-free.
     * One the borrower never started is stopped already (JmsTemplate-style send-only use pays nothing here).
     */
    void giveBack(boolean started) throws JMSException {
        lease = null;
        if (started && reusable()) {
            physical.stop();
        }
    }

    SessionHolder borrowSession(int mode) throws JMSException {
        return PoolLimits.borrow(sessions, mode, "maxSessionsPerConnection", "sessions of this connection");
    }

    void returnSession(SessionHolder session, boolean clean) {
        try {
            if (clean) {
                sessions.returnObject(session.mode(), session);
            } else {
                sessions.invalidateObject(session.mode(), session);
            }
        } catch (Exception e) {
            LOG.debug("pooled session could not be returned; it is dropped", e);
            session.close();
        }
    }

    /**
     * A new JMSContext on this connection (TunnelMQ's own, so receiveBody and every JMS 2.0 rule are the
     * provider's): it opens its own session and closing it closes only that session.
     */
    synchronized JMSContext newContext(int mode) {
        if (!(physical instanceof JmsConnection connection)) {
            throw new JMSRuntimeException("createContext() of a PooledConnectionFactory needs a TunnelMQ target"
                    + " factory; this one wraps " + physical.getClass().getName() + ": use createConnection()");
        }
        if (contexts == null) {
            contexts = JmsContext.create(connection, JMSContext.AUTO_ACKNOWLEDGE);
        }
        return contexts.createContext(mode);
    }

    /**
     * Gives the borrower a connection of its own with its client ID: a client ID must be set before the
     * connection is used, and a connection that carries one is not handed to anybody else afterwards.
     */
    synchronized void dedicate(String clientId) throws JMSException {
        Connection fresh = owner.open(credentials);
        try {
            fresh.setClientID(clientId);
        } catch (JMSException | RuntimeException e) {
            closeQuietly(fresh);
            throw e;
        }
        dedicated = true;
        Connection old = physical;
        GenericKeyedObjectPool<Integer, SessionHolder> oldSessions = sessions;
        attach(fresh);
        contexts = null;
        oldSessions.close();
        closeQuietly(old);
    }

    void destroy() {
        lease = null;
        sessions.close();
        closeQuietly(physical);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (JMSException | RuntimeException e) {
            LOG.debug("closing a pooled connection failed; it is dropped anyway", e);
        }
    }

    @Override
    public String toString() {
        return "pooled connection (" + credentials + ")";
    }
}
