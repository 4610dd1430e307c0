package io.tunnelmq.bench.compare;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Properties;

/**
 * Receives one message in the comparison's own JVM: how soon a restarted broker delivers from its recovered backlog,
 * with no client JVM's start-up in the figure.
 */
final class FirstMessage {
    private FirstMessage() {
    }

    /** Loads the client's classes (a factory, a message) so the timed receive does not pay for it. */
    static void warmUp(Properties jndi) {
        try {
            InitialContext context = new InitialContext(new Hashtable<>(jndi));
            context.lookup("ConnectionFactory");
            context.lookup("queue/bench");
            context.close();
        } catch (NamingException e) {
            // nothing warmed: the first receive pays for it
        }
    }

    /**
     * Connects, retrying while the broker refuses, and waits for one message on {@code queue/bench}; true when one
     * arrived within {@code timeout}.
     */
    static boolean receive(Properties jndi, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                InitialContext context = new InitialContext(new Hashtable<>(jndi));
                try (Connection c = ((ConnectionFactory) context.lookup("ConnectionFactory")).createConnection()) {
                    Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageConsumer consumer = session.createConsumer((Destination) context.lookup("queue/bench"));
                    c.start();
                    long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                    return consumer.receive(left) != null;
                } finally {
                    context.close();
                }
            } catch (JMSException | NamingException e) {
                Thread.sleep(20);
            }
        }
        return false;
    }
}
