package io.tunnelmq.jms.client;

import io.tunnelmq.jms.TunnelQueue;
import io.tunnelmq.jms.TunnelSession;
import io.tunnelmq.jms.TunnelTopic;

import io.tunnelmq.protocol.Protocol;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JMS 2.0 simplified API: a connection and one session in one object, with unchecked exceptions. Contexts
 * made by {@link #createContext(int)} share the connection, which closes with the last of them. The session is
 * opened on first use, so {@link #setClientID(String)} works right after the context was created. With
 * auto-start (the default) creating a consumer starts the connection.
 */
public final class JmsContext extends AbstractContext {

    /** The connection shared by a context and those made from it; closed when the last one closes. */
    private static final class SharedConnection {
        final JmsConnection connection;
        final AtomicInteger users = new AtomicInteger(1);

        SharedConnection(JmsConnection connection) {
            this.connection = connection;
        }
    }

    private final SharedConnection shared;
    private final int sessionMode;
    private final Object lock = new Object();
    private JmsSession session; // guarded by lock
    private volatile boolean autoStart = true;
    private volatile boolean closed;

    private JmsContext(SharedConnection shared, int sessionMode) {
        this.shared = shared;
        this.sessionMode = sessionMode;
    }

    /**
     * A context owning a new connection.
     *
     * @throws JMSRuntimeException if the session mode is invalid
     */
    public static JmsContext create(JmsConnection connection, int sessionMode) {
        checkSessionMode(sessionMode);
        return new JmsContext(new SharedConnection(connection), sessionMode);
    }

    /** Checks a session mode before anything is connected. */
    public static void checkSessionMode(int sessionMode) {
        switch (sessionMode) {
            case Session.SESSION_TRANSACTED, Session.AUTO_ACKNOWLEDGE, Session.CLIENT_ACKNOWLEDGE,
                    Session.DUPS_OK_ACKNOWLEDGE, TunnelSession.INDIVIDUAL_ACKNOWLEDGE -> {
            }
            default -> throw new JMSRuntimeException("session mode " + sessionMode + " is not valid; use"
                    + " JMSContext.AUTO_ACKNOWLEDGE, CLIENT_ACKNOWLEDGE, DUPS_OK_ACKNOWLEDGE, SESSION_TRANSACTED or"
                    + " TunnelSession.INDIVIDUAL_ACKNOWLEDGE");
        }
    }

    @Override
    public JMSContext createContext(int mode) {
        checkOpen();
        checkSessionMode(mode);
        shared.users.incrementAndGet();
        return new JmsContext(shared, mode);
    }

    /** The session, opened on first use. */
    JmsSession session() {
        checkOpen();
        synchronized (lock) {
            if (session == null) {
                try {
                    session = connection().openSession(sessionMode, JmsSession.Domain.ANY);
                } catch (JMSException e) {
                    throw JmsExceptions.toRuntime(e);
                }
            }
            return session;
        }
    }

    @Override
    JmsConnection connection() {
        return shared.connection;
    }

    @Override
    public JMSProducer createProducer() {
        return new JmsProducer(this, session());
    }

    // ---- connection ----

    @Override
    public String getClientID() {
        checkOpen();
        return call(() -> connection().getClientID());
    }

    @Override
    public void setClientID(String clientID) {
        checkOpen();
        run(() -> connection().setClientID(clientID));
    }

    @Override
    public ConnectionMetaData getMetaData() {
        checkOpen();
        return call(() -> connection().getMetaData());
    }

    @Override
    public ExceptionListener getExceptionListener() {
        checkOpen();
        return call(() -> connection().getExceptionListener());
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) {
        checkOpen();
        run(() -> connection().setExceptionListener(listener));
    }

    @Override
    public void start() {
        checkOpen();
        run(() -> connection().start());
    }

    @Override
    public void stop() {
        checkOpen();
        run(() -> connection().stop());
    }

    @Override
    public void setAutoStart(boolean autoStart) {
        checkOpen();
        this.autoStart = autoStart;
    }

    @Override
    public boolean getAutoStart() {
        checkOpen();
        return autoStart;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        run(() -> connection().checkNotInCallback("JMSContext.close()"));
        JmsSession s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = session;
        }
        try {
            if (s != null) {
                s.close();
            }
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        } finally {
            if (shared.users.decrementAndGet() == 0) {
                run(() -> connection().close());
            }
        }
    }

    // ---- session ----

    @Override
    public boolean getTransacted() {
        checkOpen();
        return sessionMode == Session.SESSION_TRANSACTED;
    }

    @Override
    public int getSessionMode() {
        checkOpen();
        return sessionMode;
    }

    @Override
    public void commit() {
        run(() -> session().commit());
    }

    @Override
    public void rollback() {
        run(() -> session().rollback());
    }

    @Override
    public void recover() {
        run(() -> session().recover());
    }

    @Override
    public void acknowledge() {
        JmsSession s = session();
        if (sessionMode == Session.CLIENT_ACKNOWLEDGE || sessionMode == TunnelSession.INDIVIDUAL_ACKNOWLEDGE) {
            run(() -> {
                s.checkOpen("acknowledge()");
                s.acks().acknowledgeAll();
            });
        }
    }

    // ---- consumers ----

    @Override
    public JMSConsumer createConsumer(Destination destination) {
        return createConsumer(destination, null, false);
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String selector) {
        return createConsumer(destination, selector, false);
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String selector, boolean noLocal) {
        return started(call(() -> session().consumer(destination, selector, noLocal, null, false, false)));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name) {
        return createDurableConsumer(topic, name, null, false);
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name, String selector, boolean noLocal) {
        return started(call(() -> (JmsMessageConsumer) session().createDurableConsumer(topic, name, selector,
                noLocal)));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name) {
        return createSharedDurableConsumer(topic, name, null);
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name, String selector) {
        return started(call(() -> (JmsMessageConsumer) session().createSharedDurableConsumer(topic, name,
                selector)));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String name) {
        return createSharedConsumer(topic, name, null);
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String name, String selector) {
        return started(call(() -> (JmsMessageConsumer) session().createSharedConsumer(topic, name, selector)));
    }

    private JMSConsumer started(JmsMessageConsumer consumer) {
        if (autoStart) {
            run(() -> connection().start());
        }
        return new JmsConsumer(consumer);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) {
        return createBrowser(queue, null);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String selector) {
        return call(() -> session().createBrowser(queue, selector));
    }

    @Override
    public void unsubscribe(String name) {
        run(() -> session().unsubscribe(name));
    }

    // ---- destinations ----

    @Override
    public Queue createQueue(String queueName) {
        checkOpen();
        if (queueName == null || queueName.isEmpty()) {
            throw new InvalidDestinationRuntimeException("a queue name must not be null or empty");
        }
        checkName(queueName);
        return new TunnelQueue(queueName);
    }

    @Override
    public Topic createTopic(String topicName) {
        checkOpen();
        if (topicName == null || topicName.isEmpty()) {
            throw new InvalidDestinationRuntimeException("a topic name must not be null or empty");
        }
        checkName(topicName);
        return new TunnelTopic(topicName);
    }

    private static void checkName(String name) {
        String problem = Protocol.nameProblem("destination name", name);
        if (problem != null) {
            throw new InvalidDestinationRuntimeException(problem);
        }
    }

    @Override
    public TemporaryQueue createTemporaryQueue() {
        return call(() -> session().createTemporaryQueue());
    }

    @Override
    public TemporaryTopic createTemporaryTopic() {
        return call(() -> session().createTemporaryTopic());
    }

    // ---- helpers ----

    @Override
    void checkOpen() {
        if (closed) {
            throw new IllegalStateRuntimeException("the JMSContext is closed");
        }
    }

    @Override
    public String toString() {
        return "JmsContext[" + connection() + ", mode " + sessionMode + (closed ? ", closed" : "") + "]";
    }
}
