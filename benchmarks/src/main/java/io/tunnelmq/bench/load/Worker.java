package io.tunnelmq.bench.load;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;

/** One producer, consumer, requester or responder: its own Connection and Session, like a real application. */
abstract class Worker implements Runnable {
    final RunContext run;
    final int index;
    private final String name;

    Worker(RunContext run, String role, int index) {
        this.run = run;
        this.index = index;
        this.name = role + "-" + (index + 1);
    }

    String name() {
        return name;
    }

    @Override
    public final void run() {
        try (Connection connection = run.factory.createConnection()) {
            work(connection);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            // failures while the run winds down (a receive interrupted by close) are not results
            if (run.consuming()) {
                run.fail(name, e);
            }
        }
    }

    abstract void work(Connection connection) throws JMSException, InterruptedException;

    Session session(Connection connection, AckMode mode) throws JMSException {
        return connection.createSession(mode.transacted(), mode.sessionMode());
    }

    static BytesMessage message(Session session, byte[] body, long sentAt) throws JMSException {
        BytesMessage m = session.createBytesMessage();
        m.writeBytes(body);
        m.setLongProperty(Meter.SENT_AT_PROPERTY, sentAt);
        return m;
    }

    /** Nanoseconds since the message's send time; -1 when it carries none. */
    static long age(Message m) throws JMSException {
        return m.propertyExists(Meter.SENT_AT_PROPERTY)
                ? System.nanoTime() - m.getLongProperty(Meter.SENT_AT_PROPERTY) : -1;
    }
}
