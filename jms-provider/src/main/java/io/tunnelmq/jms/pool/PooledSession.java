package io.tunnelmq.jms.pool;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A borrowed session. Producers are views of the session's one pooled anonymous producer; consumers and browsers
 * the application creates are its own and are closed when the session goes back (unless consumers are pooled,
 * then a closed consumer is kept for the next borrower that asks for the same destination and selector).
 * Closing returns the session clean: see {@link SessionHolder#reset()}.
 */
final class PooledSession implements QueueSession, TopicSession {
    /** Something the application opened on this session and the pool closes when the session goes back. */
    private interface Opened {
        void close() throws JMSException;
    }

    private final PooledConnection connection;
    private final SessionHolder holder;
    private final boolean poolConsumers;
    private final List<Opened> opened = new CopyOnWriteArrayList<>();
    private volatile boolean listenerSet;
    private volatile boolean closed;

    PooledSession(PooledConnection connection, SessionHolder holder, boolean poolConsumers) {
        this.connection = connection;
        this.holder = holder;
        this.poolConsumers = poolConsumers;
    }

    private Session session() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("this pooled session is closed");
        }
        return holder.session();
    }

    /** Closes what the application opened, makes the session clean and returns it to its connection's pool. */
    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        connection.sessionClosed(this);
        boolean clean = true;
        for (Opened o : opened) {
            try {
                o.close();
            } catch (JMSException | RuntimeException e) {
                clean = false;
            }
        }
        try {
            if (listenerSet) {
                holder.session().setMessageListener(null);
            }
            holder.reset();
        } catch (JMSException | RuntimeException e) {
            clean = false;
        }
        connection.holder().returnSession(holder, clean);
    }

    // ---- producers: views of the pooled anonymous producer ----

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        session();
        return new PooledProducer(this, destination);
    }

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        session();
        return new PooledProducer(this, queue);
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        session();
        return new PooledProducer(this, topic);
    }

    /** The anonymous producer pooled with the session, for {@link PooledProducer}. */
    MessageProducer anonymousProducer() throws JMSException {
        session();
        return holder.producer();
    }

    // ---- consumers and browsers ----

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return consumer(destination, null, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector) throws JMSException {
        return consumer(destination, messageSelector, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal)
            throws JMSException {
        return consumer(destination, messageSelector, noLocal);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return (QueueReceiver) consumer(queue, null, false);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String messageSelector) throws JMSException {
        return (QueueReceiver) consumer(queue, messageSelector, false);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return (TopicSubscriber) consumer(topic, null, false);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String messageSelector, boolean noLocal)
            throws JMSException {
        return (TopicSubscriber) consumer(topic, messageSelector, noLocal);
    }

    private MessageConsumer consumer(Destination destination, String selector, boolean noLocal)
            throws JMSException {
        Session s = session();
        if (!poolConsumers || destination == null || destination instanceof TemporaryQueue
                || destination instanceof TemporaryTopic) {
            return track(s.createConsumer(destination, selector, noLocal));
        }
        SessionHolder.ConsumerKey key = new SessionHolder.ConsumerKey(destination, selector, noLocal);
        MessageConsumer idle = holder.takeConsumer(key);
        MessageConsumer physical = idle != null ? idle : s.createConsumer(destination, selector, noLocal);
        PooledConsumer consumer = new PooledConsumer(physical, () -> holder.keepConsumer(key, physical));
        opened.add(consumer::close);
        return consumer;
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return track(session().createDurableSubscriber(topic, name));
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String messageSelector,
                                                   boolean noLocal) throws JMSException {
        return track(session().createDurableSubscriber(topic, name, messageSelector, noLocal));
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return track(session().createDurableConsumer(topic, name));
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        return track(session().createDurableConsumer(topic, name, messageSelector, noLocal));
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) throws JMSException {
        return track(session().createSharedConsumer(topic, sharedSubscriptionName));
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector)
            throws JMSException {
        return track(session().createSharedConsumer(topic, sharedSubscriptionName, messageSelector));
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return track(session().createSharedDurableConsumer(topic, name));
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector)
            throws JMSException {
        return track(session().createSharedDurableConsumer(topic, name, messageSelector));
    }

    private <C extends MessageConsumer> C track(C consumer) {
        opened.add(consumer::close);
        return consumer;
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        QueueBrowser browser = session().createBrowser(queue);
        opened.add(browser::close);
        return browser;
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
        QueueBrowser browser = session().createBrowser(queue, messageSelector);
        opened.add(browser::close);
        return browser;
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        TemporaryQueue queue = session().createTemporaryQueue();
        connection.temporaryCreated(queue);
        return queue;
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        TemporaryTopic topic = session().createTemporaryTopic();
        connection.temporaryCreated(topic);
        return topic;
    }

    // ---- plain delegation ----

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        return session().createBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        return session().createMapMessage();
    }

    @Override
    public Message createMessage() throws JMSException {
        return session().createMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        return session().createObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        return session().createObjectMessage(object);
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        return session().createStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        return session().createTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        return session().createTextMessage(text);
    }

    @Override
    public boolean getTransacted() throws JMSException {
        return session().getTransacted();
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        return session().getAcknowledgeMode();
    }

    @Override
    public void commit() throws JMSException {
        session().commit();
    }

    @Override
    public void rollback() throws JMSException {
        session().rollback();
    }

    @Override
    public void recover() throws JMSException {
        session().recover();
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        return session().getMessageListener();
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        session().setMessageListener(listener);
        listenerSet = true;
    }

    @Override
    public void run() {
        holder.session().run();
    }

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        return session().createQueue(queueName);
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        return session().createTopic(topicName);
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        session().unsubscribe(name);
    }

    @Override
    public String toString() {
        return "PooledSession[" + holder + "]";
    }
}
