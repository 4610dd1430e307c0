package io.tunnelmq.jms.client;

import io.tunnelmq.jms.TunnelQueue;
import io.tunnelmq.jms.TunnelSession;
import io.tunnelmq.jms.TunnelTopic;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.jms.engine.LockOutcome;
import io.tunnelmq.jms.message.JmsBytesMessage;
import io.tunnelmq.jms.message.JmsMapMessage;
import io.tunnelmq.jms.message.JmsMessage;
import io.tunnelmq.jms.message.JmsObjectMessage;
import io.tunnelmq.jms.message.SerializablePackages;
import io.tunnelmq.jms.message.JmsStreamMessage;
import io.tunnelmq.jms.message.JmsTextMessage;
import io.tunnelmq.jms.message.WireMessages;
import io.tunnelmq.protocol.message.WireDestination;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
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
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A JMS session: one channel of the connection's tunnel. Creates messages, producers and consumers, owns the
 * acknowledgement ({@link SessionAcks}), transaction ({@link SessionTransaction}) and callback thread
 * ({@link SessionDispatcher}). A session obtained as a QueueSession or TopicSession refuses the other domain's
 * methods with IllegalStateException, as JMS 1.1 requires.
 */
final class JmsSession implements TunnelSession, QueueSession, TopicSession {
    private static final Logger LOG = LoggerFactory.getLogger(JmsSession.class);

    /** Which messaging domain the session was created for. */
    enum Domain { ANY, QUEUE, TOPIC }

    private final JmsConnection connection;
    private final EngineSession engine;
    private final int mode;
    private final Domain domain;
    private final String logId;
    private final SessionDispatcher dispatcher;
    private final SessionAcks acks;
    private final SessionTransaction transaction;
    private final SendCompletions completions;
    private final SessionConsumers consumers = new SessionConsumers(this);
    private final List<JmsMessageProducer> producers = new CopyOnWriteArrayList<>();
    private final Object closeLock = new Object();
    private volatile boolean closed;

    JmsSession(JmsConnection connection, EngineSession engine, int mode, Domain domain) {
        this.connection = connection;
        this.engine = engine;
        this.mode = mode;
        this.domain = domain;
        this.logId = connection.connectionId() + "/" + engine.channel();
        this.dispatcher = new SessionDispatcher(this, logId);
        this.acks = new SessionAcks(this, mode);
        this.transaction = new SessionTransaction(this);
        this.completions = new SendCompletions(this, dispatcher);
    }

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

    // ---- modes, transactions, recovery ----

    /** Whether the session is transacted (no check that it is open). */
    boolean transacted() {
        return mode == SESSION_TRANSACTED;
    }

    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen("getTransacted");
        return mode == SESSION_TRANSACTED;
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        checkOpen("getAcknowledgeMode");
        return mode;
    }

    @Override
    public void commit() throws JMSException {
        transaction.commit();
    }

    @Override
    public void rollback() throws JMSException {
        transaction.rollback();
    }

    /**
     * Redelivers every message delivered and not acknowledged, in queue order with JMSRedelivered=true: the
     * delivered ones are abandoned, the buffered ones released.
     */
    @Override
    public void recover() throws JMSException {
        checkOpen("recover");
        if (mode == SESSION_TRANSACTED) {
            throw JmsExceptions.illegalState("recover() is not allowed on a transacted session; use rollback()");
        }
        dispatcher.pause();
        try {
            long[] seen = acks.takeUnsettled();
            OrderedRedelivery.rewind(this, seen.length == 0 ? null
                    : () -> engine.settle(LockOutcome.ABANDON, seen, null, true), "recover");
        } finally {
            dispatcher.resume();
        }
    }

    // ---- producers and consumers ----

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        checkOpen("createProducer");
        if (destination != null) {
            WireMessages.toWireDestination(destination); // reject destinations we cannot send to, now
        }
        JmsMessageProducer p = new JmsMessageProducer(this, destination);
        producers.add(p);
        return p;
    }

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

    JmsMessageConsumer consumer(Destination destination, String selector, boolean noLocal, String subscription,
                                boolean durable, boolean shared) throws JMSException {
        checkOpen("createConsumer");
        return consumers.open(destination, selector, noLocal, subscription, durable, shared);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return createBrowser(queue, null);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String selector) throws JMSException {
        checkOpen("createBrowser");
        requireDomain(Domain.QUEUE, "createBrowser");
        if (queue == null) {
            throw new InvalidDestinationException("the queue to browse must not be null");
        }
        WireDestination target = WireMessages.toWireDestination(queue);
        connection.temporaryDestinations().checkSendable(target);
        JmsQueueBrowser browser = new JmsQueueBrowser(this, queue, target,
                selector == null || selector.isBlank() ? null : selector);
        if (browser.getMessageSelector() != null) {
            browser.validate(); // JMS wants an invalid selector refused here, not on the first look
        }
        return browser;
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        checkOpen("unsubscribe");
        requireDomain(Domain.TOPIC, "unsubscribe");
        consumers.checkNoConsumerOn(SessionConsumers.subscriptionName(name));
        Await.result(engine.unsubscribe(name), connection.requestWaitMillis(),
                "unsubscribing durable subscription '" + name + "'");
    }

    // ---- destinations ----

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
        return name;
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        checkOpen("createTemporaryQueue");
        requireDomain(Domain.QUEUE, "createTemporaryQueue");
        return connection.temporaryDestinations().createQueue();
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        checkOpen("createTemporaryTopic");
        requireDomain(Domain.TOPIC, "createTemporaryTopic");
        return connection.temporaryDestinations().createTopic();
    }

    private void requireDomain(Domain needed, String what) throws IllegalStateException {
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

    // ---- close ----

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (dispatcher.isCurrentThread()) {
            throw JmsExceptions.illegalState("Session.close() must not be called from a MessageListener or"
                    + " CompletionListener of the same session: it would wait for that callback to return");
        }
        CompletableFuture<Void> remote = closeLocally();
        connection.sessionClosed(this);
        Await.result(remote, connection.requestWaitMillis(), "closing session " + logId);
    }

    /**
     * Closes everything on this side — no more listener calls, async-send callbacks done, producers and consumers
     * closed — and returns the broker side of the close: buffered messages released, consumers and session
     * closed (the broker abandons the locks the session still holds and drops its uncommitted work).
     */
    CompletableFuture<Void> closeLocally() {
        synchronized (closeLock) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            closed = true;
        }
        dispatcher.stopDelivery();
        try {
            completions.awaitCallbacks(null, connection.sendWaitMillis());
        } catch (JMSException e) {
            LOG.warn("session {}: closing without the callbacks of some asynchronous sends: {}", logId,
                    e.getMessage());
        }
        producers.forEach(JmsMessageProducer::closedBySession);
        producers.clear();
        List<CompletableFuture<Void>> closing = consumers.closeAll();
        acks.flushDupsOk();
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                .thenCompose(v -> engine.close())
                .whenComplete((v, e) -> {
                    consumers.clear();
                    dispatcher.shutdown();
                });
    }

    void connectionFailed(EngineException cause) {
        consumers.connectionFailed(cause);
    }

    /** The failover layer restored the connection: consumers ask again for what the lost one was asked. */
    void connectionRestored() {
        consumers.connectionRestored();
        dispatcher.scheduleDelivery();
    }

    /** The broker was quiet and is heard again: waiting receivers look at their buffers, listeners go on. */
    void handOutsResumed() {
        consumers.handOutsResumed();
        dispatcher.scheduleDelivery();
    }

    // ---- for the facade ----

    void checkOpen(String what) throws IllegalStateException {
        if (closed) {
            throw JmsExceptions.illegalState(what + " is not possible: the session is closed");
        }
        if (connection.isClosed()) {
            throw JmsExceptions.illegalState(what + " is not possible: the connection is closed");
        }
    }

    void checkSynchronousReceiveAllowed() throws IllegalStateException {
        consumers.checkSynchronousReceiveAllowed();
    }

    /** Settles locks and waits for the broker's answer. */
    void settleAndWait(LockOutcome outcome, long[] tokens, String reason, String what) throws JMSException {
        Await.result(engine.settle(outcome, tokens, reason, true), connection.requestWaitMillis(),
                what);
    }

    void connectionStarted() {
        consumers.connectionStarted();
        dispatcher.scheduleDelivery();
    }

    void awaitListenersIdle() {
        dispatcher.awaitListenersIdle();
    }

    /** The connection stops (its listeners are idle): see {@link SessionConsumers#connectionStopped()}. */
    List<CompletableFuture<Void>> connectionStopped() {
        return consumers.connectionStopped();
    }

    void consumerClosed(JmsMessageConsumer c) {
        consumers.remove(c);
    }

    void producerClosed(JmsMessageProducer p) {
        producers.remove(p);
    }

    boolean hasConsumerOn(WireDestination destination) {
        return consumers.hasConsumerOn(destination);
    }

    List<JmsMessageConsumer> consumers() {
        return consumers.list();
    }

    /** The deserialization allow-list of ObjectMessages this session creates or receives: its factory's. */
    SerializablePackages serializablePackages() {
        return connection.serializablePackages();
    }

    JmsConnection connection() {
        return connection;
    }

    EngineSession engine() {
        return engine;
    }

    SessionDispatcher dispatcher() {
        return dispatcher;
    }

    SessionAcks acks() {
        return acks;
    }

    SendCompletions completions() {
        return completions;
    }

    int mode() {
        return mode;
    }

    String logId() {
        return logId;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "JmsSession[" + logId + ", mode " + mode + (closed ? ", closed" : "") + "]";
    }
}
