package io.tunnelmq.jms.client;

import io.tunnelmq.jms.ConnectionOptions;
import io.tunnelmq.jms.TunnelConnection;
import io.tunnelmq.jms.TunnelConnectionListener;
import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineFactory;
import io.tunnelmq.jms.message.SerializablePackages;
import io.tunnelmq.protocol.Protocol;
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

import java.util.List;
import java.util.UUID;
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
 *
 * <p>The engine connection and its events are in {@link ConnectionEngine}, the sessions in {@link ConnectionSessions}.
 */
public final class JmsConnection implements QueueConnection, TopicConnection, TunnelConnection {
    private static final Logger LOG = LoggerFactory.getLogger(JmsConnection.class);

    private final boolean clientIdAdministrative;
    private final String uniqueId = UUID.randomUUID().toString();
    private final AtomicLong producerIds = new AtomicLong();
    private final ConnectionSessions sessions = new ConnectionSessions(this);
    private final TemporaryDestinations temporaryDestinations = new TemporaryDestinations(this);
    private final ConnectionListeners listeners;
    private final ConnectionEngine engine;
    private final Object lifecycle = new Object();

    /** Also holds the client ID: the one configured, or the one set since (see {@link #setClientID}). */
    private volatile ConnectionOptions options;
    /** The client ID may no longer be set: it was set, or the connection was used. */
    private volatile boolean clientIdLocked;
    private volatile boolean started;
    private volatile boolean closed;

    private JmsConnection(ConnectionOptions options, EngineFactory engineFactory) {
        this.options = options;
        this.clientIdAdministrative = options.clientId() != null;
        this.listeners = new ConnectionListeners(options.address(), this::connectionId);
        this.engine = new ConnectionEngine(this, ConnectionSettings.engines(options, engineFactory), options.address(),
                sessions, listeners);
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
        c.engine.open(options);
        LOG.debug("connection {} to {} open", c.connectionId(), options.address());
        return c;
    }

    // ---- sessions ----

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return openSession(ConnectionSessions.mode(transacted, acknowledgeMode), JmsSession.Domain.ANY);
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
        return openSession(ConnectionSessions.mode(transacted, acknowledgeMode), JmsSession.Domain.QUEUE);
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return openSession(ConnectionSessions.mode(transacted, acknowledgeMode), JmsSession.Domain.TOPIC);
    }

    JmsSession openSession(int mode, JmsSession.Domain domain) throws JMSException {
        checkOpen();
        clientIdLocked = true;
        EngineConnection e = engine.current();
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
        return options.clientId();
    }

    @Override
    public void setClientID(String newClientId) throws JMSException {
        checkOpen();
        String clientId = options.clientId();
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
        String problem = Protocol.nameProblem("client ID", newClientId);
        if (problem != null) {
            throw new InvalidClientIDException(problem);
        }
        synchronized (lifecycle) {
            // the client ID travels in the handshake: reconnect with it (no session exists yet)
            ConnectionOptions withId = options.withClientId(newClientId);
            engine.replace(withId);
            options = withId;
            clientIdLocked = true;
            LOG.debug("connection {} has client ID '{}'", connectionId(), newClientId);
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
        sessions.connectionStarted();
    }

    @Override
    public void stop() throws JMSException {
        checkOpen();
        CallbackRules.refuseOnConnection(this, "Connection.stop()", true);
        clientIdLocked = true;
        synchronized (lifecycle) {
            started = false;
        }
        sessions.connectionStopped();
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
            closing = sessions.snapshot();
        }
        // best effort, never longer than a request on a live connection: close does not wait for a reconnect
        long timeout = options.requestTimeoutMillis();
        sessions.close(closing, timeout);
        engine.close(timeout);
        listeners.shutdown();
        LOG.debug("connection {} to {} closed", connectionId(), options.address());
    }

    /** JMS 2.0 forbids close from any callback of the same connection (see {@link CallbackRules}). */
    void checkNotInCallback(String what) throws IllegalStateException {
        CallbackRules.refuseOnConnection(this, what, false);
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
        return new JmsConnectionMetaData(engine.current().brokerVersion());
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
        return engine.current();
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
        return engine.factory();
    }

    boolean isStarted() {
        return started;
    }

    /**
     * False while the broker has been quiet for two heartbeat intervals: buffered messages wait (a receive keeps
     * waiting, listeners pause), since the broker may be about to give them to other consumers.
     */
    boolean handOutsAllowed() {
        EngineConnection e = engine.current();
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
        EngineConnection e = engine.current();
        return e == null ? "(connecting)" : e.connectionId();
    }

    /** True if a consumer of this connection reads from the destination. */
    boolean hasConsumerOn(WireDestination destination) {
        return sessions.hasConsumerOn(destination);
    }

    @Override
    public String toString() {
        return "JmsConnection[" + connectionId() + " to " + options.address() + (closed ? ", closed" : "") + "]";
    }
}
