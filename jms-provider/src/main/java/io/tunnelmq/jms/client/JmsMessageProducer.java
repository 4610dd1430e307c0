package io.tunnelmq.jms.client;

import jakarta.jms.CompletionListener;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueSender;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;

/**
 * A message producer, bound to a destination or anonymous (created with a null destination, naming the
 * destination on every send). Sends block as their delivery mode requires; the CompletionListener variants
 * return at once.
 */
final class JmsMessageProducer implements QueueSender, TopicPublisher {
    private final JmsSession session;
    private final Destination destination;
    private final MessageSender sender;
    private volatile SendOptions options = SendOptions.DEFAULTS;
    private volatile boolean closed;

    JmsMessageProducer(JmsSession session, Destination destination) {
        this.session = session;
        this.destination = destination;
        this.sender = new MessageSender(session);
    }

    // ---- settings ----

    @Override
    public void setDisableMessageID(boolean value) throws JMSException {
        checkOpen();
        options = options.withDisableMessageId(value);
    }

    @Override
    public boolean getDisableMessageID() throws JMSException {
        checkOpen();
        return options.disableMessageId();
    }

    @Override
    public void setDisableMessageTimestamp(boolean value) throws JMSException {
        checkOpen();
        options = options.withDisableTimestamp(value);
    }

    @Override
    public boolean getDisableMessageTimestamp() throws JMSException {
        checkOpen();
        return options.disableTimestamp();
    }

    @Override
    public void setDeliveryMode(int deliveryMode) throws JMSException {
        checkOpen();
        SendOptions.checkDeliveryMode(deliveryMode);
        options = options.withDeliveryMode(deliveryMode);
    }

    @Override
    public int getDeliveryMode() throws JMSException {
        checkOpen();
        return options.deliveryMode();
    }

    @Override
    public void setPriority(int priority) throws JMSException {
        checkOpen();
        SendOptions.checkPriority(priority);
        options = options.withPriority(priority);
    }

    @Override
    public int getPriority() throws JMSException {
        checkOpen();
        return options.priority();
    }

    @Override
    public void setTimeToLive(long timeToLive) throws JMSException {
        checkOpen();
        options = options.withTimeToLive(timeToLive);
    }

    @Override
    public long getTimeToLive() throws JMSException {
        checkOpen();
        return options.timeToLive();
    }

    @Override
    public void setDeliveryDelay(long deliveryDelay) throws JMSException {
        checkOpen();
        SendOptions.checkDeliveryDelay(deliveryDelay);
        options = options.withDeliveryDelay(deliveryDelay);
    }

    @Override
    public long getDeliveryDelay() throws JMSException {
        checkOpen();
        return options.deliveryDelay();
    }

    @Override
    public Destination getDestination() throws JMSException {
        checkOpen();
        return destination;
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return destination instanceof Queue q ? q : null;
    }

    @Override
    public Topic getTopic() throws JMSException {
        checkOpen();
        return destination instanceof Topic t ? t : null;
    }

    // ---- sending ----

    @Override
    public void send(Message message) throws JMSException {
        send(message, options.deliveryMode(), options.priority(), options.timeToLive());
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        sendToOwnDestination(message, deliveryMode, priority, timeToLive, null);
    }

    @Override
    public void send(Destination target, Message message) throws JMSException {
        send(target, message, options.deliveryMode(), options.priority(), options.timeToLive());
    }

    @Override
    public void send(Destination target, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        sendToNamedDestination(target, message, deliveryMode, priority, timeToLive, null);
    }

    @Override
    public void send(Message message, CompletionListener listener) throws JMSException {
        send(message, options.deliveryMode(), options.priority(), options.timeToLive(), listener);
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive, CompletionListener listener)
            throws JMSException {
        requireListener(listener);
        sendToOwnDestination(message, deliveryMode, priority, timeToLive, listener);
    }

    @Override
    public void send(Destination target, Message message, CompletionListener listener) throws JMSException {
        send(target, message, options.deliveryMode(), options.priority(), options.timeToLive(), listener);
    }

    @Override
    public void send(Destination target, Message message, int deliveryMode, int priority, long timeToLive,
                     CompletionListener listener) throws JMSException {
        requireListener(listener);
        sendToNamedDestination(target, message, deliveryMode, priority, timeToLive, listener);
    }

    @Override
    public void send(Queue queue, Message message) throws JMSException {
        send((Destination) queue, message);
    }

    @Override
    public void send(Queue queue, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        send((Destination) queue, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void publish(Message message) throws JMSException {
        send(message);
    }

    @Override
    public void publish(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void publish(Topic topic, Message message) throws JMSException {
        send(topic, message);
    }

    @Override
    public void publish(Topic topic, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        send(topic, message, deliveryMode, priority, timeToLive);
    }

    private void sendToOwnDestination(Message message, int deliveryMode, int priority, long timeToLive,
                                      CompletionListener listener) throws JMSException {
        checkOpen();
        if (destination == null) {
            throw new UnsupportedOperationException("this producer was created without a destination; name the"
                    + " destination in send(destination, message)");
        }
        sender.send(destination, message, options(deliveryMode, priority, timeToLive), listener);
    }

    private void sendToNamedDestination(Destination target, Message message, int deliveryMode, int priority,
                                        long timeToLive, CompletionListener listener) throws JMSException {
        checkOpen();
        if (destination != null) {
            throw new UnsupportedOperationException("this producer was created for " + destination
                    + "; use send(message) instead of naming a destination");
        }
        if (target == null) {
            throw new InvalidDestinationException("the destination must not be null");
        }
        sender.send(target, message, options(deliveryMode, priority, timeToLive), listener);
    }

    /** The producer's options with these three, as most sends have them: the producer's own, not a copy. */
    private SendOptions options(int deliveryMode, int priority, long timeToLive) {
        SendOptions own = options;
        return own.deliveryMode() == deliveryMode && own.priority() == priority && own.timeToLive() == timeToLive
                ? own : own.withDeliveryMode(deliveryMode).withPriority(priority).withTimeToLive(timeToLive);
    }

    private static void requireListener(CompletionListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("the CompletionListener of an asynchronous send must not be null");
        }
    }

    // ---- close ----

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (session.completions().inCallbackOf(sender)) {
            throw JmsExceptions.illegalState("a CompletionListener must not close the producer whose send it"
                    + " completes: close would wait for the callback that calls it");
        }
        closed = true;
        session.producerClosed(this);
        session.completions().awaitCallbacks(sender, asyncSendTimeout());
        sender.throwLaterFailure();
    }

    /** Marks the producer closed when its session closes (which waits for the session's async sends itself). */
    void closedBySession() {
        closed = true;
    }

    private long asyncSendTimeout() {
        return session.connection().sendWaitMillis();
    }

    private void checkOpen() throws JMSException {
        if (closed) {
            throw JmsExceptions.illegalState("the producer is closed");
        }
        session.checkOpen("using a producer");
    }

    @Override
    public String toString() {
        return "JmsMessageProducer[" + destination + ", session " + session.logId() + "]";
    }
}
