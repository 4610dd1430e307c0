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

/** Answers each request with a message of the same size on its JMSReplyTo, copying the correlation data. */
final class ResponderWorker extends Worker {

    ResponderWorker(RunContext run, int index) {
        super(run, "responder", index);
    }

    @Override
    void work(Connection connection) throws JMSException {
        LoadOptions o = run.options;
        Session session = session(connection, o.ack());
        MessageConsumer consumer = session.createConsumer(run.destination);
        MessageProducer producer = session.createProducer(null);
        producer.setDeliveryMode(o.persistent() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
        connection.start();
        Acknowledger acknowledger = new Acknowledger(session, o.ack(), o.batch());
        byte[] body = new byte[o.size()];
        run.consumerReady();
        while (run.consuming()) {
            Message request = consumer.receive(ConsumerWorker.POLL_MILLIS);
            if (request == null) {
                continue;
            }
            Destination replyTo = request.getJMSReplyTo();
            if (replyTo == null) {
                throw new IllegalStateException("a request without JMSReplyTo arrived on " + o.destinationName()
                        + ": is another program sending to it?");
            }
            BytesMessage reply = session.createBytesMessage();
            reply.writeBytes(body);
            reply.setJMSCorrelationID(request.getJMSMessageID());
            reply.setIntProperty(RequesterWorker.REQUESTER_PROPERTY,
                    request.getIntProperty(RequesterWorker.REQUESTER_PROPERTY));
            producer.send(replyTo, reply);
            acknowledger.processed(request);
        }
        acknowledger.flush();
    }
}
