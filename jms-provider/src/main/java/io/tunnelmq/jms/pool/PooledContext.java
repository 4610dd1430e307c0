package io.tunnelmq.jms.pool;

import io.tunnelmq.jms.client.JmsExceptions;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JMSContext on a pooled connection. Messaging goes to a TunnelMQ JMSContext of its own on the borrowed
 * connection (opened on first use, so {@link #setClientID} works right after creation); the connection-level calls
 * go to the {@link PooledConnection}, so the borrower's ExceptionListener and client ID follow the pool's rules.
 * Contexts made by {@link #createContext(int)} share the borrowed connection, which goes back to the pool when
 * the last of them closes.
 */
final class PooledContext implements JMSContext {
    private final PooledConnection lease;
    private final AtomicInteger users;
    private final int sessionMode;
    private final Object lock = new Object();
    private JMSContext delegate; // guarded by lock
    private boolean autoStart = true; // guarded by lock
    private volatile boolean closed;

    PooledContext(PooledConnection lease, int sessionMode) {
        this(lease, new AtomicInteger(1), sessionMode);
    }

    private PooledContext(PooledConnection lease, AtomicInteger users, int sessionMode) {
        this.lease = lease;
        this.users = users;
        this.sessionMode = sessionMode;
    }

    private JMSContext delegate() {
        synchronized (lock) {
            checkOpen();
            if (delegate == null) {
                try {
                    delegate = lease.newContext(sessionMode);
                } catch (JMSException e) {
                    throw JmsExceptions.toRuntime(e);
                }
                delegate.setAutoStart(autoStart);
            }
            return delegate;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateRuntimeException("this JMSContext is closed");
        }
    }

    @Override
    public JMSContext createContext(int mode) {
        checkOpen();
        users.incrementAndGet();
        return new PooledContext(lease, users, mode);
    }

    /** Closes this context's session; the last context of a connection returns the connection to the pool. */
    @Override
    public void close() {
        JMSContext d;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            d = delegate;
        }
        try {
            if (d != null) {
                d.close();
                lease.contextClosed(d);
            }
        } finally {
            if (users.decrementAndGet() == 0) {
                call(() -> {
                    lease.close();
                    return null;
                });
            }
        }
    }

    // ---- connection-level: the pooled connection decides ----

    @Override
    public String getClientID() {
        checkOpen();
        return call(lease::getClientID);
    }

    @Override
    public void setClientID(String clientID) {
        checkOpen();
        call(() -> {
            lease.setClientID(clientID);
            return null;
        });
    }

    @Override
    public ConnectionMetaData getMetaData() {
        checkOpen();
        return call(lease::getMetaData);
    }

    @Override
    public ExceptionListener getExceptionListener() {
        checkOpen();
        return call(lease::getExceptionListener);
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) {
        checkOpen();
        call(() -> {
            lease.setExceptionListener(listener);
            return null;
        });
    }

    @Override
    public void start() {
        delegate().start();
    }

    @Override
    public void stop() {
        delegate().stop();
    }

    @Override
    public void setAutoStart(boolean value) {
        synchronized (lock) {
            checkOpen();
            autoStart = value;
            if (delegate != null) {
                delegate.setAutoStart(value);
            }
        }
    }

    @Override
    public boolean getAutoStart() {
        synchronized (lock) {
            checkOpen();
            return autoStart;
        }
    }

    // ---- temporary destinations live with the connection: deleted when it goes back ----

    @Override
    public TemporaryQueue createTemporaryQueue() {
        TemporaryQueue queue = delegate().createTemporaryQueue();
        lease.temporaryCreated(queue);
        return queue;
    }

    @Override
    public TemporaryTopic createTemporaryTopic() {
        TemporaryTopic topic = delegate().createTemporaryTopic();
        lease.temporaryCreated(topic);
        return topic;
    }

    // ---- messaging: the TunnelMQ context ----

    @Override
    public JMSProducer createProducer() {
        return delegate().createProducer();
    }

    @Override
    public BytesMessage createBytesMessage() {
        return delegate().createBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() {
        return delegate().createMapMessage();
    }

    @Override
    public Message createMessage() {
        return delegate().createMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() {
        return delegate().createObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) {
        return delegate().createObjectMessage(object);
    }

    @Override
    public StreamMessage createStreamMessage() {
        return delegate().createStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() {
        return delegate().createTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) {
        return delegate().createTextMessage(text);
    }

    @Override
    public boolean getTransacted() {
        checkOpen();
        return sessionMode == JMSContext.SESSION_TRANSACTED;
    }

    @Override
    public int getSessionMode() {
        checkOpen();
        return sessionMode;
    }

    @Override
    public void commit() {
        delegate().commit();
    }

    @Override
    public void rollback() {
        delegate().rollback();
    }

    @Override
    public void recover() {
        delegate().recover();
    }

    @Override
    public JMSConsumer createConsumer(Destination destination) {
        return delegate().createConsumer(destination);
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector) {
        return delegate().createConsumer(destination, messageSelector);
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal) {
        return delegate().createConsumer(destination, messageSelector, noLocal);
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) {
        return delegate().createSharedConsumer(topic, sharedSubscriptionName);
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector) {
        return delegate().createSharedConsumer(topic, sharedSubscriptionName, messageSelector);
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name) {
        return delegate().createDurableConsumer(topic, name);
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal) {
        return delegate().createDurableConsumer(topic, name, messageSelector, noLocal);
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name) {
        return delegate().createSharedDurableConsumer(topic, name);
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector) {
        return delegate().createSharedDurableConsumer(topic, name, messageSelector);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) {
        return delegate().createBrowser(queue);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) {
        return delegate().createBrowser(queue, messageSelector);
    }

    @Override
    public Queue createQueue(String queueName) {
        return delegate().createQueue(queueName);
    }

    @Override
    public Topic createTopic(String topicName) {
        return delegate().createTopic(topicName);
    }

    @Override
    public void unsubscribe(String name) {
        delegate().unsubscribe(name);
    }

    @Override
    public void acknowledge() {
        delegate().acknowledge();
    }

    private interface JmsCall<T> {
        T call() throws JMSException;
    }

    private static <T> T call(JmsCall<T> call) {
        try {
            return call.call();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }
}
