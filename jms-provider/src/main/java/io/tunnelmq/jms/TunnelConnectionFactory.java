package io.tunnelmq.jms;

import io.tunnelmq.jms.client.JmsConnection;
import io.tunnelmq.jms.client.JmsContext;
import io.tunnelmq.jms.client.JmsExceptions;
import io.tunnelmq.jms.engine.EngineFactory;
import io.tunnelmq.jms.engine.Engines;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;

import java.io.Serializable;
import java.util.Objects;

/**
 * The TunnelMQ connection factory. Each connection it creates is one TCP connection to the broker that
 * carries all of that connection's sessions.
 *
 * <pre>{@code
 * ConnectionFactory cf = new TunnelConnectionFactory("tmq://localhost:9494?prefetch=50");
 * try (JMSContext context = cf.createContext()) {
 *     context.createProducer().send(context.createQueue("orders"), "hello");
 * }
 * }</pre>
 *
 *
 * <p>Every connection it creates is a {@link TunnelConnection}. A {@link TunnelConnectionListener} set with
 * {@link #setConnectionListener} is given to each connection and {@link JMSContext} created afterwards, so
 * applications that never see the connection (JMSContext, Spring's templates and listener containers) hear when it
 * is interrupted and restored too.
 *
 * @see ConnectionOptions for the URL options
 */
public class TunnelConnectionFactory implements ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory,
        Serializable {
    private static final long serialVersionUID = 1L;

    private final ConnectionOptions options;
    /** Null means the default Netty engine (also after deserialization). */
    private transient EngineFactory engineFactory;
    /** Not serialized: a listener is application code of this JVM. */
    private transient volatile TunnelConnectionListener connectionListener;

    /** A factory for {@value ConnectionOptions#DEFAULT_URL} with default options. */
    public TunnelConnectionFactory() {
        this(ConnectionOptions.defaults());
    }

    /**
     * A factory for a connection URL.
     *
     * @throws IllegalArgumentException if the URL is malformed or has an unknown option
     */
    public TunnelConnectionFactory(String url) {
        this(ConnectionOptions.parse(url));
    }

    public TunnelConnectionFactory(ConnectionOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * A factory with its own engine, for tests (an in-memory fake). Not public: the engine is not public API.
     * Connections of a deserialized factory use the default Netty engine.
     */
    TunnelConnectionFactory(ConnectionOptions options, EngineFactory engineFactory) {
        this(options);
        this.engineFactory = Objects.requireNonNull(engineFactory, "engineFactory");
    }

    /**
     * Sets the connection listener every connection and JMSContext created from now on starts with (a connection
     * may replace it with {@link TunnelConnection#setConnectionListener}); null for none. Connections created
     * earlier keep theirs. The listener is not serialized with the factory: a factory bound by value in JNDI and
     * looked up elsewhere has none.
     */
    public void setConnectionListener(TunnelConnectionListener listener) {
        this.connectionListener = listener;
    }

    /** The connection listener new connections start with, or null. */
    public TunnelConnectionListener getConnectionListener() {
        return connectionListener;
    }

    /** The options every connection of this factory uses. */
    public ConnectionOptions getOptions() {
        return options;
    }

    @Override
    public Connection createConnection() throws JMSException {
        return createConnection(null, null);
    }

    /**
     * A connection with the given credentials.
     *
     * @param userName the user, or null to use the URL's {@code user} option
     * @param password the password, or null to use the URL's {@code password} option
     * @throws JMSException naming the broker's host and port if it cannot be reached or refuses the handshake
     */
    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return connect(userName, password);
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return connect(null, null);
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return connect(userName, password);
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return connect(null, null);
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return connect(userName, password);
    }

    @Override
    public JMSContext createContext() {
        return createContext(null, null, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return createContext(userName, password, JMSContext.AUTO_ACKNOWLEDGE);
    }

    /**
     * A context with its own connection.
     *
     * @param sessionMode a JMSContext session mode, or {@link TunnelSession#INDIVIDUAL_ACKNOWLEDGE}
     * @throws jakarta.jms.JMSRuntimeException for an invalid session mode or when the broker cannot be reached
     */
    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        JmsContext.checkSessionMode(sessionMode);
        try {
            return JmsContext.create(connect(userName, password), sessionMode);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return createContext(null, null, sessionMode);
    }

    private JmsConnection connect(String userName, String password) throws JMSException {
        ConnectionOptions connectionOptions = options;
        if (userName != null || password != null) {
            connectionOptions = options.withCredentials(userName != null ? userName : options.user(),
                    password != null ? password : options.password());
        }
        EngineFactory engines = engineFactory;
        if (engines == null) {
            try {
                engines = Engines.netty();
            } catch (RuntimeException e) {
                throw JmsExceptions.toJms(e, "cannot connect to the TunnelMQ broker at " + options.address()
                        + ": no engine");
            }
        }
        return JmsConnection.connect(connectionOptions, engines, connectionListener);
    }

    @Override
    public String toString() {
        return "TunnelConnectionFactory[" + (options.tls() == null ? "tmq://" : "tmqs://") + String.join(",",
                options.addresses()) + "]";
    }
}
