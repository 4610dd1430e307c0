package io.tunnelmq.tck.joram;

import io.tunnelmq.jms.TunnelConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A ConnectionFactory that puts each new connection (or JMSContext) on the next broker of a list in turn, so that a
 * conformance test's sender and receiver, made one after the other from the same factory, talk to different brokers
 * of a cluster.
 */
final class AlternatingConnectionFactory implements ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory {
    private final List<TunnelConnectionFactory> brokers;
    private final AtomicInteger next = new AtomicInteger();

    AlternatingConnectionFactory(List<String> urls) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no broker URL to alternate between");
        }
        this.brokers = urls.stream().map(TunnelConnectionFactory::new).toList();
    }

    private TunnelConnectionFactory next() {
        return brokers.get(Math.floorMod(next.getAndIncrement(), brokers.size()));
    }

    @Override
    public Connection createConnection() throws JMSException {
        return next().createConnection();
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return next().createConnection(userName, password);
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return next().createQueueConnection();
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return next().createQueueConnection(userName, password);
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return next().createTopicConnection();
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return next().createTopicConnection(userName, password);
    }

    @Override
    public JMSContext createContext() {
        return next().createContext();
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return next().createContext(userName, password);
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        return next().createContext(userName, password, sessionMode);
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return next().createContext(sessionMode);
    }
}
