package io.tunnelmq.jms.client;

import io.tunnelmq.jms.ConnectionOptions;
import io.tunnelmq.jms.TunnelConnection;
import io.tunnelmq.jms.TunnelConnectionListener;
import io.tunnelmq.jms.TunnelSession;
import io.tunnelmq.jms.engine.ConnectionEvents;
import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineFactory;
import io.tunnelmq.jms.message.SerializablePackages;
import io.tunnelmq.protocol.message.WireDestination;

import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JMS connection: one engine connection (one TCP connection) carrying every session. Created stopped;
 * sending works at once, delivery to the application begins with {@link #start()}.
 *
 * <p>A client ID set with {@link #setClientID(String)} must reach the broker in the handshake, so setting it
 * (allowed only before any other use) reconnects once with the new ID; the broker checks it is unique.
 *
 * <p>With the URL option {@code reconnect=true} the engine connection is the failover layer's, which hides a lost
 * broker: the connection hears only {@code interrupted} and {@code restored} (for its
 * {@link TunnelConnectionListener}) and fails only when the layer gives up.
 */
public final class JmsConnection implements QueueConnection, TopicConnection, TunnelConnection {
    private static final Logger LOG = LoggerFactory.getLogger(JmsConnection.class);

    private final EngineFactory engineFactory;
    private final boolean clientIdAdministrative;
    private final String uniqueId = UUID.randomUUID().toString();
    private final AtomicLong producerIds = new AtomicLong();
    private final AtomicInteger generations = new AtomicInteger();
    private final List<JmsSession> sessions = new CopyOnWriteArrayList<>();
    private final TemporaryDestinations temporaryDestinations = new TemporaryDestinations(this);
    private final ConnectionListeners listeners;
    private final Object lifecycle = new Object();

    private volatile ConnectionOptions options;
    private volatile EngineConnection engine;
    private volatile int activeGeneration;
    private volatile String clientId;
    /** The client ID may no longer be set: it was set, or the connection was used. */
    private volatile boolean clientIdLocked;
    private volatile boolean started;
    private volatile boolean closed;
    /** The broker serving the connection as far as the facade knows: the first of the list, then each restored. */
    private volatile String broker;

    private JmsConnection(ConnectionOptions options, EngineFactory engineFactory) {
        this.options = options;
        this.engineFactory = ConnectionSettings.engines(options, engineFactory);
        this.clientId = options.clientId();
        this.clientIdAdministrative = options.clientId() != null;
        this.broker = options.address();
        this.listeners = new ConnectionListeners(options.address(), this::connectionId);
    }

    /**
     * Connects to the broker named by the options (through the failover layer when they say {@code reconnect}).
     *
     * @param listener the connection listener to start with (the factory's), or null
     * @throws JMSException naming host and port, with the engine's failure as cause and linked exception
     */
    public static JmsConnection connect(ConnectionOptions options, EngineFactory engineFactory,
                                        TunnelConnectionListener listener) throws JMSException {
        JmsConnection c = new JmsConnection(options, engineFactory);
        c.listeners.connectionListener(listener);
        c.engine = c.open(options);
        LOG.debug("connection {} to {} open", c.engine.connectionId(), options.address());
        return c;
    }

    private EngineConnection open(ConnectionOptions opts) throws JMSException {
        int generation = generations.incrementAndGet();
        String what = "connecting to the TunnelMQ broker at " + (opts.addresses().size() == 1 ? opts.address()
                : "any of " + String.join(", ", opts.addresses()));
        CompletableFuture<EngineConnection> future;
        try {
            future = engineFactory.connect(ConnectionSettings.forEngine(opts), new ConnectionEvents() {
                @Override
                public void connectionFailed(EngineException cause) {
                    onEngineFailure(generation, cause);
                }

                @Override
                public void brokerHeardAgain() {
                    if (generation == activeGeneration && !closed) {
                        sessions.forEach(JmsSession::handOutsResumed);
                    }
                }

                @Override
                public void interrupted(EngineException cause) {
                    onInterrupted(generation, cause);
                }

                @Override
                public void restored(String brokerAddress) {
                    onRestored(generation, brokerAddress);
                }
            });
        } catch (RuntimeException e) {
            throw JmsExceptions.toJms(e, what + " failed");
        }
        try {
            EngineConnection connected = Await.result(future, ConnectionSettings.connectWaitMillis(opts), what);
            activeGeneration = generation;
            return connected;
        } catch (JMSException e) {
            future.thenAccept(EngineConnection::close); // in case it connects after we gave up
            throw e;
        }
    }

    private void onEngineFailure(int generation, EngineException cause) {
        if (generation != activeGeneration || closed) {
            return;
        }
        LOG.warn("connection {} to {} failed: {}", connectionId(), options.address(), cause.getMessage());
        for (JmsSession s : sessions) {
            s.connectionFailed(cause);
        }
        listeners.failed(JmsExceptions.toJms(cause, "the connection to the TunnelMQ broker at " + broker
                + " failed"));
    }

    /** On the engine thread: the failover layer lost the broker and reconnects; consumers hear it themselves. */
    private void onInterrupted(int generation, EngineException cause) {
        if (generation != activeGeneration || closed) {
            return;
        }
        String lost = broker;
        LOG.warn("connection {} lost the broker at {}, reconnecting: {}", connectionId(), lost, cause.getMessage());
        listeners.interrupted(lost, JmsExceptions.toJms(cause, "the connection to the TunnelMQ broker at " + lost
                + " was lost; reconnecting"));
    }

    /** On the engine thread: the failover layer restored the connection, sessions and consumers included. */
    private void onRestored(int generation, String brokerAddress) {
        if (generation != activeGeneration || closed) {
            return;
        }
        broker = brokerAddress;
        LOG.info("connection {} restored on the broker at {}", connectionId(), brokerAddress);
        sessions.forEach(JmsSession::connectionRestored);
        listeners.restored(brokerAddress);
    }

    // ---- sessions ----

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return openSession(sessionMode(transacted, acknowledgeMode), JmsSession.Domain.ANY);
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        return createSession(sessionMode == Session.SESSION_TRANSACTED, sessionMode);
    }

    @Override
    public Session createSession() throws JMSException {
        return createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return openSession(sessionMode(transacted, acknowledgeMode), JmsSession.Domain.QUEUE);
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return openSession(sessionMode(transacted, acknowledgeMode), JmsSession.Domain.TOPIC);
    }

    /**
     * The session mode for createSession's arguments.
     *
     * @throws JMSException if a non-transacted session asks for an unknown acknowledge mode
     */
    static int sessionMode(boolean transacted, int acknowledgeMode) throws JMSException {
        if (transacted) {
            return Session.SESSION_TRANSACTED;
        }
        return switch (acknowledgeMode) {
            case Session.AUTO_ACKNOWLEDGE, Session.CLIENT_ACKNOWLEDGE, Session.DUPS_OK_ACKNOWLEDGE,
                    TunnelSession.INDIVIDUAL_ACKNOWLEDGE -> acknowledgeMode;
            default -> throw new JMSException("acknowledge mode " + acknowledgeMode + " is not valid for a"
                    + " non-transacted session; use Session.AUTO_ACKNOWLEDGE (1), CLIENT_ACKNOWLEDGE (2),"
                    + " DUPS_OK_ACKNOWLEDGE (3) or TunnelSession.INDIVIDUAL_ACKNOWLEDGE (101), or ask for a"
                    + " transacted session");
        };
    }

    JmsSession openSession(int mode, JmsSession.Domain domain) throws JMSException {
        checkOpen();
        clientIdLocked = true;
        EngineConnection e = engine;
        var session = Await.result(e.openSession(mode == Session.SESSION_TRANSACTED, mode), requestWaitMillis(), "opening a session on connection " + e.connectionId());
        JmsSession s = new JmsSession(this, session, mode, domain);
        synchronized (lifecycle) {
            if (closed) {
                session.close();
                throw JmsExceptions.illegalState("the connection was closed while the session was being opened");
            }
            sessions.add(s);
        }
        if (started) {
            s.connectionStarted();
        }
        return s;
    }

    void sessionClosed(JmsSession session) {
        sessions.remove(session);
    }

    // ---- client ID ----

    @Override
    public String getClientID() throws JMSException {
        checkOpen();
        return clientId;
    }

    @Override
    public void setClientID(String newClientId) throws JMSException {
        checkOpen();
        if (clientIdAdministrative) {
            throw JmsExceptions.illegalState("the client ID '" + clientId + "' is configured administratively"
                    + " (clientID in the connection URL) and cannot be changed");
        }
        if (clientId != null) {
            throw JmsExceptions.illegalState("the client ID is already set to '" + clientId + "'");
        }
        if (clientIdLocked) {
            throw JmsExceptions.illegalState("setClientID must be called right after the connection is created,"
                    + " before it is used (createSession, start, stop)");
        }
        if (newClientId == null || newClientId.isEmpty()) {
            throw new InvalidClientIDException("a client ID must not be null or empty");
        }
        synchronized (lifecycle) {
            // the client ID travels in the handshake: reconnect with it (no session exists yet)
            ConnectionOptions withId = options.withClientId(newClientId);
            EngineConnection replacement = open(withId);
            EngineConnection old = engine;
            engine = replacement;
            options = withId;
            clientId = newClientId;
            clientIdLocked = true;
            old.close().whenComplete((v, e) -> {
                if (e != null) {
                    LOG.debug("closing the pre-client-ID connection {} failed: {}", old.connectionId(), e.toString());
                }
            });
            LOG.debug("connection {} has client ID '{}'", replacement.connectionId(), newClientId);
        }
    }

    // ---- lifecycle ----

    @Override
    public void start() throws JMSException {
        checkOpen();
        clientIdLocked = true;
        synchronized (lifecycle) {
            if (started) {
                return;
            }
            started = true;
        }
        for (JmsSession s : sessions) {
            s.connectionStarted();
        }
    }

    @Override
    public void stop() throws JMSException {
        checkOpen();
        refuseFromCallback("Connection.stop()", true);
        clientIdLocked = true;
        synchronized (lifecycle) {
            started = false;
        }
        for (JmsSession s : sessions) {
            s.awaitListenersIdle();
        }
        // buffered messages nobody saw go back to the queue for competing consumers; start() asks again
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (JmsSession s : sessions) {
            stopping.addAll(s.connectionStopped());
        }
        try {
            Await.result(CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)), requestWaitMillis(),
                    "stopping connection " + connectionId());
        } catch (JMSException e) {
            // the messages are still locked to this connection and come back when their locks expire
            LOG.debug("connection {}: releasing buffered messages on stop: {}", connectionId(), e.getMessage());
        }
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        checkNotInCallback("Connection.close()");
        List<JmsSession> closing;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            started = false;
            closing = new ArrayList<>(sessions);
        }
        // best effort, never longer than a request on a live connection: close does not wait for a reconnect
        long timeout = options.requestTimeoutMillis();
        List<CompletableFuture<Void>> remote = new ArrayList<>();
        for (JmsSession s : closing) {
            remote.add(s.closeLocally());
        }
        try {
            Await.result(CompletableFuture.allOf(remote.toArray(CompletableFuture[]::new)), timeout,
                    "closing the sessions of connection " + connectionId());
        } catch (JMSException e) {
            LOG.debug("connection {}: closing sessions: {}", connectionId(), e.getMessage());
        }
        sessions.clear();
        try {
            Await.result(engine.close(), timeout, "closing connection " + connectionId());
        } catch (JMSException e) {
            LOG.debug("connection {}: {}", connectionId(), e.getMessage());
        }
        listeners.shutdown();
        LOG.debug("connection {} to {} closed", connectionId(), options.address());
    }

    /** JMS 2.0 forbids close from any callback of the same connection (see {@link #refuseFromCallback}). */
    void checkNotInCallback(String what) throws IllegalStateException {
        refuseFromCallback(what, false);
    }

    /**
     * Refuses a call from a callback of this connection that would wait for that very callback to return: close from
     * any of them; stop only from a MessageListener, since a CompletionListener may stop the connection (JMS 2.0
     * §7.3.8 forbids it only close, commit and rollback).
     */
    private void refuseFromCallback(String what, boolean completionListenerMayCall) throws IllegalStateException {
        SessionDispatcher current = SessionDispatcher.current();
        if (current == null || current.session().connection() != this
                || completionListenerMayCall && current.inCompletionListener()) {
            return;
        }
        throw JmsExceptions.illegalState(what + " must not be called from a MessageListener"
                + (completionListenerMayCall ? "" : " or CompletionListener") + " of the same connection: it would"
                + " wait for that callback to return");
    }

    void checkOpen() throws IllegalStateException {
        if (closed) {
            throw JmsExceptions.illegalState("the connection is closed");
        }
    }

    // ---- the rest of Connection ----

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        checkOpen();
        return new JmsConnectionMetaData(engine.brokerVersion());
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        checkOpen();
        return listeners.exceptionListener();
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        checkOpen();
        listeners.exceptionListener(listener);
    }

    /** Also allowed on a closed connection: it only replaces a reference, and a closed connection calls no one. */
    @Override
    public void setConnectionListener(TunnelConnectionListener listener) {
        listeners.connectionListener(listener);
    }

    @Override
    public TunnelConnectionListener getConnectionListener() {
        return listeners.connectionListener();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw connectionConsumersUnsupported();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Queue queue, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw connectionConsumersUnsupported();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw connectionConsumersUnsupported();
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName,
                                                             String messageSelector, ServerSessionPool sessionPool,
                                                             int maxMessages) throws JMSException {
        throw connectionConsumersUnsupported();
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                              String messageSelector, ServerSessionPool sessionPool,
                                                              int maxMessages) throws JMSException {
        // QueueConnection's contract demands IllegalStateException here; it is also a JMSException for the rest
        JMSException unsupported = connectionConsumersUnsupported();
        throw new IllegalStateException(unsupported.getMessage());
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                                    String messageSelector,
                                                                    ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw connectionConsumersUnsupported();
    }

    private JMSException connectionConsumersUnsupported() throws JMSException {
        checkOpen();
        return new JMSException("connection consumers (the optional application-server facilities of JMS) are not"
                + " supported by TunnelMQ; create a MessageConsumer with a MessageListener instead");
    }

    // ---- for sessions ----

    EngineConnection engine() {
        return engine;
    }

    /** The deserialization allow-list of the ObjectMessages of this connection, from its factory's URL. */
    SerializablePackages serializablePackages() {
        return SerializablePackages.fromOption(options.serializablePackages());
    }

    ConnectionOptions options() {
        return options;
    }

    /** How long a blocking call waits for the broker's answer (see {@link ConnectionSettings#requestWaitMillis}). */
    long requestWaitMillis() {
        return ConnectionSettings.requestWaitMillis(options);
    }

    /** How long a send, or a wait for async sends, waits (see {@link ConnectionSettings#sendWaitMillis}). */
    long sendWaitMillis() {
        return ConnectionSettings.sendWaitMillis(options);
    }

    /** The engine factory connections are made with: the failover layer's when the connection reconnects. */
    EngineFactory engineFactory() {
        return engineFactory;
    }

    boolean isStarted() {
        return started;
    }

    /**
     * False while the broker has been quiet for two heartbeat intervals: buffered messages wait (a receive keeps
     * waiting, listeners pause), since the broker may be about to give them to other consumers.
     */
    boolean handOutsAllowed() {
        EngineConnection e = engine;
        return e == null || !e.brokerQuiet();
    }

    boolean isClosed() {
        return closed;
    }

    TemporaryDestinations temporaryDestinations() {
        return temporaryDestinations;
    }

    /** A prefix for the JMSMessageIDs of a new producer, unique across connections and producers. */
    String newMessageIdPrefix() {
        return "ID:" + uniqueId + ":" + producerIds.incrementAndGet() + ":";
    }

    String uniqueId() {
        return uniqueId;
    }

    String connectionId() {
        EngineConnection e = engine;
        return e == null ? "(connecting)" : e.connectionId();
    }

    /** True if a consumer of this connection reads from the destination. */
    boolean hasConsumerOn(WireDestination destination) {
        for (JmsSession s : sessions) {
            if (s.hasConsumerOn(destination)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "JmsConnection[" + connectionId() + " to " + options.address() + (closed ? ", closed" : "") + "]";
    }
}
