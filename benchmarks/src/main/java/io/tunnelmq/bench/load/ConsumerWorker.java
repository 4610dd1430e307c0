package io.tunnelmq.bench.load;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import java.util.concurrent.locks.LockSupport;

/** Receives, optionally holds each message for a processing time, and acknowledges per the run's mode. */
final class ConsumerWorker extends Worker {
    static final long POLL_MILLIS = 100;

    ConsumerWorker(RunContext run, int index) {
        super(run, "consumer", index);
    }

    @Override
    void work(Connection connection) throws JMSException {
        LoadOptions o = run.options;
        Session session = session(connection, o.ack());
        MessageConsumer consumer = session.createConsumer(run.destination);
        connection.start();
        Acknowledger acknowledger = new Acknowledger(session, o.ack(), o.batch());
        long holdNanos = o.hold().toNanos();
        run.consumerReady();
        while (run.consuming()) {
            Message m = consumer.receive(POLL_MILLIS);
            if (m == null) {
                continue;
            }
            run.meter.latency(age(m));
            if (holdNanos > 0) {
                hold(holdNanos);
            }
            acknowledger.processed(m);
            run.meter.received();
        }
        acknowledger.flush();
    }

    /** Simulates processing: the message stays locked to this consumer meanwhile. */
    static void hold(long nanos) {
        long end = System.nanoTime() + nanos;
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
