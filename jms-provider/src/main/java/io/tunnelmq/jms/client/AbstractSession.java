package io.tunnelmq.jms.client;

import io.tunnelmq.jms.TunnelQueue;
import io.tunnelmq.jms.TunnelSession;
import io.tunnelmq.jms.TunnelTopic;
import io.tunnelmq.jms.message.JmsBytesMessage;
import io.tunnelmq.jms.message.JmsMapMessage;
import io.tunnelmq.jms.message.JmsMessage;
import io.tunnelmq.jms.message.JmsObjectMessage;
import io.tunnelmq.jms.message.JmsStreamMessage;
import io.tunnelmq.jms.message.JmsTextMessage;
import io.tunnelmq.jms.message.SerializablePackages;

import io.tunnelmq.protocol.Protocol;
import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;

import java.io.Serializable;

/**
 * The skeleton of {@link JmsSession}, in the manner of {@code java.util.AbstractList}: the part of the JMS Session API
 * that needs none of a session's state. The many overloads and JMS 1.1 domain aliases of createConsumer and
 * createProducer call one full form; the domain rules live here (a session obtained as a QueueSession or TopicSession
 * refuses the other domain's methods with IllegalStateException, as JMS 1.1 requires); so do creating messages and
 * destinations, and refusing the application-server facilities.
 */
abstract class AbstractSession implements TunnelSession, QueueSession, TopicSession {

    /** Which messaging domain the session was created for. */
    enum Domain { ANY, QUEUE, TOPIC }

    private final Domain domain;

    AbstractSession(Domain domain) {
        this.domain = domain;
    }

    /** @throws IllegalStateException naming {@code what}, if the session or its connection is closed */
    abstract void checkOpen(String what) throws IllegalStateException;

    /** The deserialization allow-list of ObjectMessages this session creates or receives: its factory's. */
    abstract SerializablePackages serializablePackages();

    /** Opens a consumer (the full form of every createConsumer, createReceiver and createSubscriber). */
    abstract JmsMessageConsumer consumer(Destination destination, String selector, boolean noLocal,
                                         String subscription, boolean durable, boolean shared) throws JMSException;

    /** The connection the session belongs to (its temporary destinations). */
    abstract JmsConnection connection();

    // ---- messages ----

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        checkOpen("createBytesMessage");
        return new JmsBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        checkOpen("createMapMessage");
        return new JmsMapMessage();
    }

    @Override
    public Message createMessage() throws JMSException {
        checkOpen("createMessage");
        return new JmsMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        checkOpen("createObjectMessage");
        return new JmsObjectMessage(serializablePackages());
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        checkOpen("createObjectMessage");
        JmsObjectMessage m = new JmsObjectMessage(serializablePackages());
        m.setObject(object);
        return m;
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        checkOpen("createStreamMessage");
        return new JmsStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        checkOpen("createTextMessage");
        return new JmsTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        checkOpen("createTextMessage");
        return new JmsTextMessage(text);
    }

    // ---- overloads and domain aliases of the producer, consumer and browser factories ----

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        return (QueueSender) createProducer(queue);
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        return (TopicPublisher) createProducer(topic);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return createConsumer(destination, null, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String selector) throws JMSException {
        return createConsumer(destination, selector, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String selector, boolean noLocal)
            throws JMSException {
        return consumer(destination, selector, noLocal, null, false, false);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return consumer(queue, null, false, null, false, false);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String selector) throws JMSException {
        return consumer(queue, selector, false, null, false, false);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return consumer(topic, null, false, null, false, false);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String selector, boolean noLocal) throws JMSException {
        return consumer(topic, selector, noLocal, null, false, false);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String name) throws JMSException {
        return createSharedConsumer(topic, name, null);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String name, String selector) throws JMSException {
        requireDomain(Domain.TOPIC, "createSharedConsumer");
        return consumer(topic, selector, false, SessionConsumers.subscriptionName(name), false, true);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name, null, false);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String selector, boolean noLocal)
            throws JMSException {
        requireDomain(Domain.TOPIC, "createDurableSubscriber");
        return consumer(topic, selector, noLocal, SessionConsumers.subscriptionName(name), true, false);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name, null, false);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String selector, boolean noLocal)
            throws JMSException {
        return createDurableSubscriber(topic, name, selector, noLocal);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return createSharedDurableConsumer(topic, name, null);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String selector)
            throws JMSException {
        requireDomain(Domain.TOPIC, "createSharedDurableConsumer");
        return consumer(topic, selector, false, SessionConsumers.subscriptionName(name), true, true);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return createBrowser(queue, null);
    }

    // ---- destinations and the domain rules ----

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        checkOpen("createQueue");
        requireDomain(Domain.QUEUE, "createQueue");
        return new TunnelQueue(destinationName(queueName));
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        checkOpen("createTopic");
        requireDomain(Domain.TOPIC, "createTopic");
        return new TunnelTopic(destinationName(topicName));
    }

    private static String destinationName(String name) throws InvalidDestinationException {
        if (name == null || name.isEmpty()) {
            throw new InvalidDestinationException("a destination name must not be null or empty");
        }
        String problem = Protocol.nameProblem("destination name", name);
        if (problem != null) {
            throw new InvalidDestinationException(problem);
        }
        return name;
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        checkOpen("createTemporaryQueue");
        requireDomain(Domain.QUEUE, "createTemporaryQueue");
        return connection().temporaryDestinations().createQueue();
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        checkOpen("createTemporaryTopic");
        requireDomain(Domain.TOPIC, "createTemporaryTopic");
        return connection().temporaryDestinations().createTopic();
    }

    void requireDomain(Domain needed, String what) throws IllegalStateException {
        if (domain != Domain.ANY && domain != needed) {
            throw JmsExceptions.illegalState(what + " is not available on a " + (domain == Domain.QUEUE
                    ? "QueueSession" : "TopicSession") + "; use a Session from Connection.createSession");
        }
    }

    // ---- session-level listener: application-server facilities ----

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen("getMessageListener");
        return null;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen("setMessageListener");
        throw new JMSException("Session.setMessageListener is an application-server facility TunnelMQ does not"
                + " support; set the listener on a MessageConsumer");
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException("Session.run is an application-server facility TunnelMQ does not"
                + " support");
    }
}
