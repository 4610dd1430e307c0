package io.tunnelmq.samples;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import javax.naming.Context;
import java.io.PrintStream;
import java.util.List;

/**
 * A durable subscription keeps collecting a topic's messages while its subscriber is away, and hands them over
 * when the subscriber comes back. It is named by the connection's client ID and a subscription name.
 */
final class DurableSubscriber implements Sample {
    private static final String CLIENT_ID = "samples-durable";
    private static final String SUBSCRIPTION = "news-reader";

    @Override
    public String description() {
        return "a durable subscriber gets what was published while it was away";
    }

    @Override
    public void run(Context jndi, List<String> args, PrintStream out) throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Topic news = (Topic) jndi.lookup("samples/news");

        // 1. subscribe, then go away: the subscription stays on the broker
        try (Connection subscriber = factory.createConnection()) {
            subscriber.setClientID(CLIENT_ID); // before anything else is done with the connection
            Session session = subscriber.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createDurableSubscriber(news, SUBSCRIPTION).close();
            out.println("subscribed as " + CLIENT_ID + "/" + SUBSCRIPTION + ", then disconnected");
        }

        // 2. publish while nobody listens
        try (Connection publisher = factory.createConnection()) {
            Session session = publisher.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(news);
            for (String headline : List.of("headline 1", "headline 2")) {
                producer.send(session.createTextMessage(headline));
                out.println("published while away: " + headline);
            }
        }

        // 3. come back with the same client ID and subscription name: the messages waited
        try (Connection subscriber = factory.createConnection()) {
            subscriber.setClientID(CLIENT_ID);
            Session session = subscriber.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createDurableSubscriber(news, SUBSCRIPTION);
            subscriber.start();
            for (int i = 0; i < 2; i++) {
                TextMessage message = (TextMessage) consumer.receive(5_000);
                if (message == null) {
                    throw new IllegalStateException("the durable subscription lost a message");
                }
                out.println("received after coming back: " + message.getText());
            }
            // a subscription with no use left should be deleted, or it collects messages forever
            consumer.close();
            session.unsubscribe(SUBSCRIPTION);
            out.println("unsubscribed " + SUBSCRIPTION);
        }
    }
}
