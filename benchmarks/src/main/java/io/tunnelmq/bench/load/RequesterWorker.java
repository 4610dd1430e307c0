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

/**
 * Sends a request and waits for its reply before the next one; the round trip is the latency. Replies come to a
 * temporary queue of its own, or to the fixed reply queue (with several requesters, each selects its own replies).
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
        run.awaitStart();
        for (long i = 0; i < quota && run.producing(); i++) {
            BytesMessage request = message(session, body, System.nanoTime());
            request.setJMSReplyTo(replyTo);
            request.setIntProperty(REQUESTER_PROPERTY, index);
            long sentAt = System.nanoTime();
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
