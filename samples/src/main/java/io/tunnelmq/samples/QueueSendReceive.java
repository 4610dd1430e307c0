package io.tunnelmq.samples;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import javax.naming.Context;
import java.io.PrintStream;
import java.util.List;

/** Point to point: send a few messages to a queue, then receive them in order. */
final class QueueSendReceive implements Sample {

    @Override
    public String description() {
        return "send messages to a queue and receive them ([count], default 3)";
    }

    @Override
    public void run(Context jndi, List<String> args, PrintStream out) throws Exception {
        int count = Sample.count(args, 3);
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue orders = (Queue) jndi.lookup("samples/orders");

        // closing the connection closes its sessions, producers and consumers too
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(orders);
            for (int i = 1; i <= count; i++) {
                producer.send(session.createTextMessage("order #" + i));
                out.println("sent: order #" + i);
            }

            MessageConsumer consumer = session.createConsumer(orders);
            connection.start(); // nothing is delivered before start()
            for (int i = 1; i <= count; i++) {
                // AUTO_ACKNOWLEDGE: the broker deletes the message once receive returns it
                TextMessage message = (TextMessage) consumer.receive(5_000);
                if (message == null) {
                    throw new IllegalStateException("order #" + i + " did not arrive within 5 s");
                }
                out.println("received: " + message.getText());
            }
            out.println("received " + count + " messages from " + orders.getQueueName());
        }
    }
}
