package io.tunnelmq.samples;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;

import javax.naming.Context;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Request/reply: a service listens on a queue and answers each request on the request's JMSReplyTo destination,
 * here a temporary queue that only the requesting connection can read and that disappears with it. The reply's
 * JMSCorrelationID is the request's JMSMessageID.
 */
final class RequestReply implements Sample {

    @Override
    public String description() {
        return "a service answers a request on the requester's temporary queue";
    }

    @Override
    public void run(Context jndi, List<String> args, PrintStream out) throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue requests = (Queue) jndi.lookup("samples/requests");

        try (Connection service = factory.createConnection();
             Connection client = factory.createConnection()) {
            startUppercaseService(service, requests, out);

            Session session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = session.createTemporaryQueue();
            MessageConsumer replyConsumer = session.createConsumer(replies);
            client.start();

            TextMessage request = session.createTextMessage("hello, tunnel");
            request.setJMSReplyTo(replies);
            session.createProducer(requests).send(request); // send() sets the JMSMessageID
            out.println("request sent: " + request.getText());

            TextMessage reply = (TextMessage) replyConsumer.receive(5_000);
            if (reply == null) {
                throw new IllegalStateException("no reply within 5 s");
            }
            if (!request.getJMSMessageID().equals(reply.getJMSCorrelationID())) {
                throw new IllegalStateException("the reply answers " + reply.getJMSCorrelationID() + ", not "
                        + request.getJMSMessageID());
            }
            out.println("reply received: " + reply.getText() + " (correlates with the request)");
        }
    }

    /** The service: answers every request with its text in upper case. */
    private static void startUppercaseService(Connection connection, Queue requests, PrintStream out)
            throws JMSException {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer replier = session.createProducer(null); // each reply names its own destination
        session.createConsumer(requests).setMessageListener((Message request) -> {
            try {
                String text = ((TextMessage) request).getText();
                out.println("service got request: " + text);
                TextMessage reply = session.createTextMessage(text.toUpperCase(Locale.ROOT));
                reply.setJMSCorrelationID(request.getJMSMessageID());
                replier.send(request.getJMSReplyTo(), reply);
            } catch (JMSException e) {
                // a RuntimeException from onMessage would make the broker redeliver the request
                throw new IllegalStateException("could not answer the request", e);
            }
        });
        connection.start();
    }
}
