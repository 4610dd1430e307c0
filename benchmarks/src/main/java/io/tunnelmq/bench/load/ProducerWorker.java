package io.tunnelmq.bench.load;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.util.concurrent.locks.LockSupport;

/**
 * Sends as fast as the provider lets it, or at a fixed rate: then each message is stamped with its intended send
 * time, so a provider that stalls the producer shows that stall as latency instead of hiding it.
 */
final class ProducerWorker extends Worker {

    ProducerWorker(RunContext run, int index) {
        super(run, "producer", index);
    }

    @Override
    void work(Connection connection) throws JMSException, InterruptedException {
        LoadOptions o = run.options;
        AckMode mode = o.ack().transacted() ? AckMode.TRANSACTED : AckMode.AUTO;
        Session session = session(connection, mode);
        MessageProducer producer = session.createProducer(run.destination);
        producer.setDeliveryMode(o.persistent() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
        byte[] body = new byte[o.size()];
        long quota = run.quota(index);
        long interval = o.rate() > 0 ? Math.max(1, 1_000_000_000L * o.producers() / o.rate()) : 0;
        run.awaitStart();
        long next = System.nanoTime();
        int uncommitted = 0;
        for (long i = 0; i < quota && run.producing(); i++) {
            long stamp;
            if (interval > 0) {
                long wait;
                while ((wait = next - System.nanoTime()) > 0 && run.producing()) {
                    LockSupport.parkNanos(wait);
                }
                stamp = next;
                next += interval;
            } else {
                stamp = System.nanoTime();
            }
            producer.send(message(session, body, stamp));
            if (mode.transacted() && ++uncommitted >= o.batch()) {
                session.commit();
                uncommitted = 0;
            }
            run.meter.sent();
        }
        if (uncommitted > 0) {
            session.commit();
        }
    }
}
