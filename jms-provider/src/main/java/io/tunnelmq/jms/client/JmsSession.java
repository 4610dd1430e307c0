package io.tunnelmq.jms.client;

import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.jms.engine.LockOutcome;
import io.tunnelmq.jms.message.SerializablePackages;
import io.tunnelmq.jms.message.WireMessages;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Permission;
import io.tunnelmq.protocol.message.WireDestination;

import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A JMS session: one channel of the connection's tunnel. Creates producers, consumers and browsers, owns the
 * acknowledgement ({@link SessionAcks}), transaction ({@link SessionTransaction}) and callback thread
 * ({@link SessionDispatcher}). The overloads and domain aliases of the Session API, the domain rules (a session
 * obtained as a QueueSession or TopicSession refuses the other domain's methods) and the creation of messages and
 * destinations are in {@link AbstractSession}.
 */
final class JmsSession extends AbstractSession {
    private static final Logger LOG = LoggerFactory.getLogger(JmsSession.class);

    private final JmsConnection connection;
    private final EngineSession engine;
    private final int mode;
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
        super(domain);
        this.connection = connection;
        this.engine = engine;
        this.mode = mode;
        this.logId = connection.connectionId() + "/" + engine.channel();
        this.dispatcher = new SessionDispatcher(this);
        this.acks = new SessionAcks(this, mode);
        this.transaction = new SessionTransaction(this);
        this.completions = new SendCompletions(this, dispatcher);
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
                    : () -> expiredIsDone(engine.settle(LockOutcome.ABANDON, seen, null, true)), "recover");
        } finally {
            dispatcher.resume();
        }
    }

    /**
     * An abandon the broker refused because the locks had run out first did what recover asks: those messages are
     * back in the queue already, counted as seen. (Completes on the engine's thread, as the abandon does, so the
     * redelivery ordering that waits on it is kept.)
     */
    private CompletableFuture<Void> expiredIsDone(CompletableFuture<Void> abandon) {
        return abandon.exceptionallyCompose(e -> {
            if (JmsExceptions.unwrap(e) instanceof EngineException refused && refused.code() == ErrorCode.LOCK_EXPIRED) {
                LOG.debug("session {}: recover found locks that ran out first; the broker redelivers them: {}", logId,
                        refused.getMessage());
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.failedFuture(e);
        });
    }

    // ---- producers and consumers ----

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        checkOpen("createProducer");
        if (destination != null) {
            // reject destinations we cannot send to, now
            WireDestination target = WireMessages.toWireDestination(destination);
            checkAccess(target, Permission.SEND, "creating a producer for " + target.name());
        }
        JmsMessageProducer p = new JmsMessageProducer(this, destination);
        producers.add(p);
        return p;
    }

    @Override
    JmsMessageConsumer consumer(Destination destination, String selector, boolean noLocal, String subscription,
                                boolean durable, boolean shared) throws JMSException {
        checkOpen("createConsumer");
        return consumers.open(destination, selector, noLocal, subscription, durable, shared);
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
        checkAccess(target, Permission.BROWSE, "creating a browser for " + target.name());
        JmsQueueBrowser browser = new JmsQueueBrowser(this, queue, target,
                selector == null || selector.isBlank() ? null : selector);
        if (browser.getMessageSelector() != null) {
            browser.validate(); // JMS wants an invalid selector refused here, not on the first look
        }
        return browser;
    }

    /**
     * Asks a broker that checks permissions whether this connection's user has {@code permission} on {@code target}:
     * a call that sends nothing by itself is refused at once ({@code JMSSecurityException}). An open broker is not
     * asked; the broker checks every send, consumer and browse anyway.
     */
    private void checkAccess(WireDestination target, Permission permission, String what) throws JMSException {
        if (connection.engine().accessChecked()) {
            Await.result(connection.engine().checkAccess(target, permission), connection.requestWaitMillis(), what);
        }
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        checkOpen("unsubscribe");
        requireDomain(Domain.TOPIC, "unsubscribe");
        consumers.checkNoConsumerOn(SessionConsumers.subscriptionName(name));
        Await.result(engine.unsubscribe(name), connection.requestWaitMillis(),
                "unsubscribing durable subscription '" + name + "'");
    }

    // ---- close ----

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        CallbackRules.refuseSessionClose(dispatcher);
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
        if (consumers.anyListener()) { // receivers were woken above; only listeners run on the session's thread
            dispatcher.scheduleDelivery();
        }
    }

    // ---- for the facade ----

    @Override
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

    /** A consumer of this session is being given a MessageListener ({@link SessionConsumers#listenerGiven}). */
    void listenerGiven() {
        consumers.listenerGiven();
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

    @Override
    SerializablePackages serializablePackages() {
        return connection.serializablePackages();
    }

    @Override
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
