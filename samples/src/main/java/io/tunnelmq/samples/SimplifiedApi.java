package io.tunnelmq.samples;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.Queue;

import javax.naming.Context;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The JMS 2.0 simplified API: one JMSContext instead of connection + session, a fluent producer, bodies of any
 * message type received directly, and no checked exceptions.
 */
final class SimplifiedApi implements Sample {

    @Override
    public String description() {
        return "JMS 2.0 JMSContext: fluent producer, receiveBody, message properties";
    }

    @Override
    public void run(Context jndi, List<String> args, PrintStream out) throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue greetings = (Queue) jndi.lookup("samples/greetings");

        try (JMSContext context = factory.createContext()) {
            context.createProducer()
                    .setProperty("language", "en")
                    .send(greetings, "hello")
                    .send(greetings, Map.<String, Object>of("language", "fr", "text", "bonjour"));
            out.println("sent a text and a map message");

            // a JMSContext starts its connection when the first consumer is created
            JMSConsumer consumer = context.createConsumer(greetings);
            Message text = consumer.receive(5_000);
            if (text == null) {
                throw new IllegalStateException("the text message did not arrive within 5 s");
            }
            out.println("received text: " + text.getBody(String.class) + " (language "
                    + text.getStringProperty("language") + ")");
            @SuppressWarnings("unchecked")
            Map<String, Object> map = consumer.receiveBody(Map.class, 5_000);
            if (map == null) {
                throw new IllegalStateException("the map message did not arrive within 5 s");
            }
            out.println("received map: text=" + map.get("text") + ", language=" + map.get("language"));
        }
    }
}
