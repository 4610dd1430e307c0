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

/**
 * Transactions: in a transacted session, sends are published and receives are settled only by {@code commit()};
 * {@code rollback()} drops the sends and gives the received messages back to be delivered again.
 */
final class TransactedSendReceive implements Sample {

    @Override
    public String description() {
        return "transacted sessions: rollback drops sends and redelivers receives, commit makes them stick";
    }

    @Override
    public void run(Context jndi, List<String> args, PrintStream out) throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue payments = (Queue) jndi.lookup("samples/payments");

        try (Connection connection = factory.createConnection()) {
            Session sending = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = sending.createProducer(payments);
            producer.send(sending.createTextMessage("payment 1 (rolled back)"));
            sending.rollback();
            out.println("sent payment 1, rolled back: it is never delivered");
            producer.send(sending.createTextMessage("payment 2"));
            sending.commit();
            out.println("sent payment 2, committed");

            Session receiving = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = receiving.createConsumer(payments);
            connection.start();
            TextMessage first = receive(consumer);
            out.println("received: " + first.getText() + " (redelivered: " + first.getJMSRedelivered() + ")");
            receiving.rollback(); // processing failed: the payment goes back to the queue
            out.println("rolled back the receive");
            TextMessage again = receive(consumer);
            out.println("received: " + again.getText() + " (redelivered: " + again.getJMSRedelivered() + ")");
            receiving.commit(); // now it is deleted
            out.println("committed the receive");

            if (consumer.receive(500) != null) {
                throw new IllegalStateException("the rolled-back payment 1 was delivered");
            }
            out.println("nothing else on the queue");
        }
    }

    private static TextMessage receive(MessageConsumer consumer) throws Exception {
        TextMessage message = (TextMessage) consumer.receive(5_000);
        if (message == null) {
            throw new IllegalStateException("payment 2 did not arrive within 5 s");
        }
        return message;
    }
}
