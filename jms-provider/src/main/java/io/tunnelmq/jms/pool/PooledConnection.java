package io.tunnelmq.jms.pool;

import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the application holds between {@code createConnection()} and {@code close()}: exclusive use of one pooled
 * physical connection. Closing it closes what the application opened on it (sessions go back to the connection's
 * session pool, temporary destinations are deleted), forgets the application's ExceptionListener, stops the
 * connection and returns it to the pool.
 */
final class PooledConnection implements QueueConnection, TopicConnection {
    private final PooledConnectionFactory owner;
    private final ConnectionHolder holder;
    private final List<PooledSession> sessions = new CopyOnWriteArrayList<>();
    private final List<JMSContext> contexts = new CopyOnWriteArrayList<>();
    private final List<Destination> temporaries = new CopyOnWriteArrayList<>();
    private final List<ConnectionConsumer> connectionConsumers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ExceptionListener listener;
    private volatile boolean used;
    /** Whether the borrower may have started the physical connection (start(), or a context's auto-start). */
    private volatile boolean started;
    private volatile boolean clientIdSet;

    PooledConnection(PooledConnectionFactory owner, ConnectionHolder holder) {
        this.owner = owner;
        this.holder = holder;
        holder.lend(this);
    }

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return createSession(transacted ? Session.SESSION_TRANSACTED : acknowledgeMode);
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        return openSession(sessionMode);
    }

    @Override
    public Session createSession() throws JMSException {
        return openSession(Session.AUTO_ACKNOWLEDGE);
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return openSession(transacted ? Session.SESSION_TRANSACTED : acknowledgeMode);
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return openSession(transacted ? Session.SESSION_TRANSACTED : acknowledgeMode);
    }

    private PooledSession openSession(int mode) throws JMSException {
        checkOpen();
        used = true;
        PooledSession session = new PooledSession(this, holder.borrowSession(mode), owner.isPoolConsumers());
        sessions.add(session);
        return session;
    }

    /** A JMSContext of the application's on this connection (see {@link PooledContext}). */
    JMSContext newContext(int mode) throws JMSException {
        checkOpen();
        used = true;
        started = true;
        JMSContext context = holder.newContext(mode);
        contexts.add(context);
        return context;
    }

    ConnectionHolder holder() {
        return holder;
    }

    void contextClosed(JMSContext context) {
        contexts.remove(context);
    }

    void sessionClosed(PooledSession session) {
        sessions.remove(session);
    }

    void temporaryCreated(TemporaryQueue queue) {
        temporaries.add(queue);
    }

    void temporaryCreated(TemporaryTopic topic) {
        temporaries.add(topic);
    }

    @Override
    public String getClientID() throws JMSException {
        checkOpen();
        return holder.physical().getClientID();
    }

    /**
     * Allowed as JMS allows it, right after the connection was created: the borrower then gets a physical
     * connection of its own, which is closed instead of pooled when the borrower closes it (a client ID would
     * otherwise follow the connection to the next borrower).
     */
    @Override
    public void setClientID(String clientID) throws JMSException {
        checkOpen();
        if (clientIdSet) {
            throw new IllegalStateException("the client ID of this connection is already set to '"
                    + getClientID() + "'");
        }
        if (used) {
            throw new IllegalStateException("setClientID must be called right after the connection is created,"
                    + " before it is used (createSession, start, stop, createContext)");
        }
        holder.dedicate(clientID);
        clientIdSet = true;
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        checkOpen();
        return holder.physical().getMetaData();
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        checkOpen();
        return listener;
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        checkOpen();
        this.listener = listener;
    }

    /** From the physical connection's ExceptionListener, on its thread. */
    void onException(JMSException e) {
        ExceptionListener l = listener;
        if (l != null && !closed.get()) {
            l.onException(e);
        }
    }

    @Override
    public void start() throws JMSException {
        checkOpen();
        used = true;
        started = true;
        holder.physical().start();
    }

    @Override
    public void stop() throws JMSException {
        checkOpen();
        used = true;
        holder.physical().stop();
    }

    /**
     * Returns the connection to the pool clean; the physical connection stays open for the next borrower. A
     * connection that failed, carries a client ID or could not be cleaned is closed instead.
     */
    @Override
    public void close() throws JMSException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        listener = null;
        boolean clean = true;
        for (JMSContext context : contexts) {
            try {
                context.close();
            } catch (RuntimeException e) {
                clean = false;
            }
        }
        for (PooledSession session : sessions) {
            try {
                session.close();
            } catch (JMSException | RuntimeException e) {
                clean = false;
            }
        }
        for (ConnectionConsumer consumer : connectionConsumers) {
            try {
                consumer.close();
            } catch (JMSException | RuntimeException e) {
                clean = false;
            }
        }
        for (Destination temporary : temporaries) {
            try {
                if (temporary instanceof TemporaryQueue queue) {
                    queue.delete();
                } else if (temporary instanceof TemporaryTopic topic) {
                    topic.delete();
                }
            } catch (JMSException | RuntimeException e) {
                clean = false; // closing the physical connection deletes it
            }
        }
        try {
            holder.giveBack(started);
        } catch (JMSException | RuntimeException e) {
            clean = false;
        }
        owner.giveBack(holder, clean);
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        checkOpen();
        used = true;
        return tracked(holder.physical().createConnectionConsumer(destination, messageSelector, sessionPool,
                maxMessages));
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Queue queue, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        return createConnectionConsumer((Destination) queue, messageSelector, sessionPool, maxMessages);
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        return createConnectionConsumer((Destination) topic, messageSelector, sessionPool, maxMessages);
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName,
                                                             String messageSelector, ServerSessionPool sessionPool,
                                                             int maxMessages) throws JMSException {
        checkOpen();
        used = true;
        return tracked(holder.physical().createSharedConnectionConsumer(topic, subscriptionName, messageSelector,
                sessionPool, maxMessages));
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                              String messageSelector, ServerSessionPool sessionPool,
                                                              int maxMessages) throws JMSException {
        checkOpen();
        used = true;
        return tracked(holder.physical().createDurableConnectionConsumer(topic, subscriptionName, messageSelector,
                sessionPool, maxMessages));
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                                    String messageSelector,
                                                                    ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        checkOpen();
        used = true;
        return tracked(holder.physical().createSharedDurableConnectionConsumer(topic, subscriptionName,
                messageSelector, sessionPool, maxMessages));
    }

    private ConnectionConsumer tracked(ConnectionConsumer consumer) {
        connectionConsumers.add(consumer);
        return consumer;
    }

    void checkOpen() throws IllegalStateException {
        if (closed.get()) {
            throw new IllegalStateException("this pooled connection is closed");
        }
    }

    @Override
    public String toString() {
        return "PooledConnection[" + holder + "]";
    }
}
