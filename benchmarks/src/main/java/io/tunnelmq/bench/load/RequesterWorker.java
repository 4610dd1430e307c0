package io.tunnelmq.bench.load;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.util.concurrent.locks.LockSupport;

/**
 * Sends a request and waits for its reply before the next one; the round trip is the latency. Replies come to a
 * temporary queue of its own, or to the fixed reply queue (with several requesters, each selects its own replies).
 * With a fixed rate, requests leave at their intended times (one in flight still) and the round trip counts from the
 * intended time, so a stalled broker shows as latency of every request it delayed, not of one.
 */
final class RequesterWorker extends Worker {
    static final String REQUESTER_PROPERTY = "benchRequester";
    static final long REPLY_TIMEOUT_MILLIS = 10_000;

    RequesterWorker(RunContext run, int index) {
        super(run, "requester", index);
    }

    @Override
    void work(Connection connection) throws JMSException, InterruptedException {
        LoadOptions o = run.options;
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(run.destination);
        producer.setDeliveryMode(o.persistent() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
        Destination replyTo = run.replyQueue != null ? run.replyQueue : session.createTemporaryQueue();
        String selector = run.replyQueue != null && o.producers() > 1 ? REQUESTER_PROPERTY + " = " + index : null;
        MessageConsumer replies = session.createConsumer(replyTo, selector);
        connection.start();
        byte[] body = new byte[o.size()];
        long quota = run.quota(index);
        long interval = o.rate() > 0 ? Math.max(1, 1_000_000_000L * o.producers() / o.rate()) : 0;
        run.awaitStart();
        long next = System.nanoTime();
        for (long i = 0; i < quota && run.producing(); i++) {
            long sentAt;
            if (interval > 0) {
                long wait;
                while ((wait = next - System.nanoTime()) > 0 && run.producing()) {
                    LockSupport.parkNanos(wait);
                }
                sentAt = next;
                next += interval;
            } else {
                sentAt = System.nanoTime();
            }
            BytesMessage request = message(session, body, sentAt);
            request.setJMSReplyTo(replyTo);
            request.setIntProperty(REQUESTER_PROPERTY, index);
            producer.send(request);
            run.meter.sent();
            Message reply = replies.receive(REPLY_TIMEOUT_MILLIS);
            if (reply == null) {
                if (!run.producing()) {
                    return;
                }
                throw new IllegalStateException("no reply within " + REPLY_TIMEOUT_MILLIS + " ms: is a responder "
                        + "(--consumers) listening on " + o.destinationName() + "?");
            }
            run.meter.latency(System.nanoTime() - sentAt);
            run.meter.received();
        }
    }
}
