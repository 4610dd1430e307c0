package io.tunnelmq.jms;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;

import java.io.Serializable;

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
 * @see ConnectionOptions for the URL options
 */
public class TunnelConnectionFactory implements ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory,
        Serializable {
    private static final long serialVersionUID = 1L;

    private final ConnectionOptions options;

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
        this.options = java.util.Objects.requireNonNull(options, "options");
    }

    /** The options every connection of this factory uses. */
    public ConnectionOptions getOptions() {
        return options;
    }

    @Override
    public Connection createConnection() throws JMSException {
        throw new UnsupportedOperationException("the JMS facade is being written");
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        throw new UnsupportedOperationException("the JMS facade is being written");
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        throw new UnsupportedOperationException("the JMS facade is being written");
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        throw new UnsupportedOperationException("the JMS facade is being written");
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        throw new UnsupportedOperationException("the JMS facade is being written");
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        throw new UnsupportedOperationException("the JMS facade is being written");
    }

    @Override
    public JMSContext createContext() {
        throw new UnsupportedOperationException("the JMS facade is being written");
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        throw new UnsupportedOperationException("the JMS facade is being written");
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        throw new UnsupportedOperationException("the JMS facade is being written");
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        throw new UnsupportedOperationException("the JMS facade is being written");
    }

    @Override
    public String toString() {
        return "TunnelConnectionFactory[tmq://" + options.address() + "]";
    }
}
