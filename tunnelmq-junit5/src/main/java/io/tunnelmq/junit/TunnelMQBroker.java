package io.tunnelmq.junit;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.queue.DeadLetters;
import io.tunnelmq.server.queue.QueueStats;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The embedded broker of an {@link EmbeddedTunnelMQ} test, for connecting and for assertions on its queues. The
 * inspection methods never change what a queue holds and never create a queue.
 */
public final class TunnelMQBroker {
    private final EmbeddedBroker broker;
    private final ConnectionFactory factory;

    TunnelMQBroker(EmbeddedBroker broker) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.factory = new TunnelConnectionFactory(broker.url());
    }

    /** The URL clients connect to: {@code tmq://127.0.0.1:<port>}. */
    public String url() {
        return broker.url();
    }

    /** A {@code TunnelConnectionFactory} for this broker. */
    public ConnectionFactory connectionFactory() {
        return factory;
    }

    /** Messages a queue holds in any state (available, locked, scheduled); 0 if the queue does not exist. */
    public long queueDepth(String queue) {
        return broker.queueDepth(queue);
    }

    /** A snapshot of a queue (available, locked, scheduled, delivered, consumers); zeros if it does not exist. */
    public QueueStats queueStats(String queue) {
        return broker.queueStats(queue);
    }

    /**
     * The messages of a queue as a {@link QueueBrowser} sees them now, in delivery order: those waiting for a
     * consumer and those delivered but not yet settled (locked); not those waiting for their delivery time or a
     * redelivery delay, which {@link #queueDepth} counts.
     *
     * @throws JMSRuntimeException if the broker cannot be reached
     */
    public List<BrowsedMessage> browse(String queue) {
        if (queueDepth(queue) == 0) {
            return List.of(); // browsing would create the queue
        }
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(session.createQueue(queue));
            List<BrowsedMessage> messages = new ArrayList<>();
            Enumeration<?> enumeration = browser.getEnumeration();
            while (enumeration.hasMoreElements()) {
                messages.add(toBrowsed((Message) enumeration.nextElement()));
            }
            return Collections.unmodifiableList(messages);
        } catch (JMSException e) {
            throw new JMSRuntimeException("cannot browse queue '" + queue + "' at " + url() + ": " + e.getMessage(),
                    e.getErrorCode(), e);
        }
    }

    /** The messages dead-lettered from a queue (or topic): {@link #browse} of {@code DLQ.<name>}. */
    public List<BrowsedMessage> deadLetters(String name) {
        return browse(DeadLetters.queueFor(name));
    }

    /** The broker itself, for what this handle does not offer (its config, connection count, dropping connections). */
    public EmbeddedBroker embeddedBroker() {
        return broker;
    }

    @Override
    public String toString() {
        return "TunnelMQBroker[" + url() + "]";
    }

    private static BrowsedMessage toBrowsed(Message message) throws JMSException {
        String text = message instanceof TextMessage textMessage ? textMessage.getText() : null;
        Map<String, Object> properties = new HashMap<>();
        Enumeration<?> names = message.getPropertyNames();
        while (names.hasMoreElements()) {
            String name = (String) names.nextElement();
            Object value = message.getObjectProperty(name);
            if (value != null) {
                properties.put(name, value);
            }
        }
        return new BrowsedMessage(message.getJMSMessageID(), text, properties);
    }
}
