package io.tunnelmq.samples;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import javax.naming.Context;
import java.io.PrintStream;
import java.util.List;

/**
 * CLIENT_ACKNOWLEDGE: messages stay locked to the session until the application acknowledges them.
 * {@code Session.recover()} gives back the unacknowledged ones, which are delivered again with
 * {@code JMSRedelivered=true}; {@code Message.acknowledge()} then deletes every message the session has received.
 */
final class ClientAcknowledge implements Sample {

    @Override
    public String description() {
        return "CLIENT_ACKNOWLEDGE: recover() redelivers, acknowledge() deletes";
    }

    @Override
    public void run(Context jndi, List<String> args, PrintStream out) throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue tasks = (Queue) jndi.lookup("samples/tasks");

        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(tasks);
            producer.send(session.createTextMessage("task A"));
            producer.send(session.createTextMessage("task B"));
            MessageConsumer consumer = session.createConsumer(tasks);
            connection.start();

            receive(consumer, 2, out);
            // something went wrong before we acknowledged: hand both back and start over
            session.recover();
            out.println("recovered: the unacknowledged messages come again");
            Message last = receive(consumer, 2, out);
            last.acknowledge(); // acknowledges every message this session received, not only the last one
            out.println("acknowledged");

            try (QueueBrowser browser = session.createBrowser(tasks)) {
                out.println(browser.getEnumeration().hasMoreElements()
                        ? "the queue still holds messages" : "the queue is empty");
            }
        }
    }

    private static Message receive(MessageConsumer consumer, int count, PrintStream out) throws Exception {
        Message message = null;
        for (int i = 0; i < count; i++) {
            message = consumer.receive(5_000);
            if (message == null) {
                throw new IllegalStateException("a task did not arrive within 5 s");
            }
            out.println("received: " + ((TextMessage) message).getText() + " (redelivered: "
                    + message.getJMSRedelivered() + ", delivery count "
                    + message.getIntProperty("JMSXDeliveryCount") + ")");
        }
        return message;
    }
}
