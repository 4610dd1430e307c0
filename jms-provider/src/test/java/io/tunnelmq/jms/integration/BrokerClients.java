package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.queue.QueueStats;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An in-JVM broker on a free port and the client connections a test opens to it; {@link #close()} closes them all.
 * Also the few questions the peek-lock promise tests ask of a message: its text, its delivery count, and whether it
 * reached a blocked consumer in time.
 */
final class BrokerClients implements AutoCloseable {
    /** How long a receive may block before it has failed the "within 100 ms" promise; generous for a loaded CI. */
    static final long PROMPT_MILLIS = 1_000;
    /** How long a receive that expects a message waits at most (the promise says 100 ms; this only ends a hang). */
    static final long RECEIVE_MILLIS = 2_000;

    final EmbeddedBroker broker;
    private final List<Connection> opened = new ArrayList<>();

    private BrokerClients(EmbeddedBroker broker) {
        this.broker = broker;
    }

    static BrokerClients start() {
        return start(BrokerConfig.defaults().withPort(0));
    }

    static BrokerClients start(BrokerConfig config) {
        return new BrokerClients(EmbeddedBroker.start(config));
    }

    /** A started connection with these URL options ("" for the defaults). */
    Connection connect(String options) throws JMSException {
        Connection c = factory(options).createConnection();
        synchronized (opened) {
            opened.add(c);
        }
        c.start();
        return c;
    }

    TunnelConnectionFactory factory(String options) {
        return new TunnelConnectionFactory(options.isEmpty() ? broker.url() : broker.url() + "?" + options);
    }

    /** Sends text messages (persistent, the default) from a connection of its own, which it closes again. */
    void send(String queue, String... bodies) throws JMSException {
        try (Connection c = factory("").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            for (String body : bodies) {
                p.send(s.createTextMessage(body));
            }
        }
    }

    QueueStats stats(String queue) {
        return broker.queueStats(queue);
    }

    static String text(Message m) throws JMSException {
        return m == null ? null : ((TextMessage) m).getText();
    }

    static int count(Message m) throws JMSException {
        return m.getIntProperty("JMSXDeliveryCount");
    }

    /** "m1/1/false": body, delivery count and JMSRedelivered, so one assertion shows all three. */
    static String described(Message m) throws JMSException {
        return text(m) + "/" + count(m) + "/" + m.getJMSRedelivered();
    }

    /**
     * Blocks in {@code receive} and asserts that a message came, and soon: the promise is 100 ms, the bound
     * {@value #PROMPT_MILLIS} ms so that a loaded machine does not fail it while a product that waits for a lock to
     * run out (or forever) still does.
     */
    static Message receivePromptly(MessageConsumer consumer, String who) throws JMSException {
        long start = System.nanoTime();
        Message m = consumer.receive(RECEIVE_MILLIS);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(m).as("%s got no message within %d ms although one was available or sat unseen in a buffer",
                who, RECEIVE_MILLIS).isNotNull();
        assertThat(waited).as("%s blocked %d ms for %s (promise: 100 ms)", who, waited, text(m))
                .isLessThan(PROMPT_MILLIS);
        return m;
    }

    @Override
    public void close() {
        synchronized (opened) {
            for (Connection c : opened) {
                try {
                    c.close();
                } catch (JMSException | RuntimeException e) {
                    // a connection the test dropped or the broker closed: nothing left to release
                }
            }
        }
        broker.close();
    }
}
