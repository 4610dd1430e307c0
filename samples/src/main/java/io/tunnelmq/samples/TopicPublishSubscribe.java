package io.tunnelmq.samples;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import javax.naming.Context;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Publish and subscribe: every subscriber of a topic gets its own copy of each message. One subscriber receives
 * synchronously, the other through a MessageListener.
 */
final class TopicPublishSubscribe implements Sample {

    @Override
    public String description() {
        return "publish to a topic with two subscribers, one of them a listener ([count], default 3)";
    }

    @Override
    public void run(Context jndi, List<String> args, PrintStream out) throws Exception {
        int count = Sample.count(args, 3);
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Topic prices = (Topic) jndi.lookup("samples/prices");

        try (Connection connection = factory.createConnection()) {
            // subscribers exist before the publisher sends: a non-durable subscriber gets only what is
            // published while it exists
            Session receiving = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer polling = receiving.createConsumer(prices);

            // a session delivers to its listeners on one thread of its own, so the listener gets its own session
            Session listening = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            CountDownLatch heard = new CountDownLatch(count);
            listening.createConsumer(prices).setMessageListener(message -> {
                try {
                    out.println("listener got: " + ((TextMessage) message).getText());
                } catch (JMSException e) {
                    out.println("listener could not read a message: " + e);
                }
                heard.countDown();
            });
            connection.start();

            Session publishing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer publisher = publishing.createProducer(prices);
            for (int i = 1; i <= count; i++) {
                publisher.send(publishing.createTextMessage("price " + (100 + i)));
                out.println("published: price " + (100 + i));
            }

            for (int i = 1; i <= count; i++) {
                TextMessage message = (TextMessage) polling.receive(5_000);
                if (message == null) {
                    throw new IllegalStateException("the polling subscriber got only " + (i - 1) + " of " + count);
                }
                out.println("subscriber got: " + message.getText());
            }
            if (!heard.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the listener missed " + heard.getCount() + " of " + count);
            }
            out.println("both subscribers got all " + count + " messages");
        }
    }
}
