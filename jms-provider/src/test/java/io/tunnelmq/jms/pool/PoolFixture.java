package io.tunnelmq.jms.pool;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** An in-JVM broker on a free port and the pooled factories a test makes; {@link #close()} closes them all. */
final class PoolFixture implements AutoCloseable {
    final EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
    private final List<PooledConnectionFactory> pools = new ArrayList<>();

    PooledConnectionFactory pool(Consumer<PooledConnectionFactory> settings) {
        return pool("", settings);
    }

    /** A pool whose connections have these URL options ({@code reconnect=false&prefetch=1}; "" for none). */
    PooledConnectionFactory pool(String options, Consumer<PooledConnectionFactory> settings) {
        String url = options.isEmpty() ? broker.url() : broker.url() + "?" + options;
        PooledConnectionFactory pool = new PooledConnectionFactory(new TunnelConnectionFactory(url));
        settings.accept(pool);
        pools.add(pool);
        return pool;
    }

    /** Sends text messages over an unpooled connection of its own. */
    void send(String queue, String... bodies) throws JMSException {
        try (Connection c = new TunnelConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            for (String body : bodies) {
                p.send(s.createTextMessage(body));
            }
        }
    }

    static String text(Message m) throws JMSException {
        return m == null ? null : ((TextMessage) m).getText();
    }

    @Override
    public void close() {
        pools.forEach(PooledConnectionFactory::close);
        broker.close();
    }
}
