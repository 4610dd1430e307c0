package io.tunnelmq.samples;

import io.tunnelmq.jms.LockedMessage;
import io.tunnelmq.jms.TunnelSession;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import javax.naming.Context;
import java.io.PrintStream;
import java.util.List;

/**
 * TunnelMQ's peek-lock extension: every received message is locked to the session and implements
 * {@link LockedMessage}, so the application decides each message's fate itself: {@code complete()} deletes it,
 * {@code abandon()} puts it back (delivery count + 1), {@code deadLetter(reason)} moves it to
 * {@code DLQ.<queue>}. The session uses {@link TunnelSession#INDIVIDUAL_ACKNOWLEDGE}, so nothing settles a lock
 * behind the application's back.
 */
final class PeekLock implements Sample {

    @Override
    public String description() {
        return "peek-lock extension: complete, abandon (redelivered) and dead-letter single messages";
    }

    @Override
    public void run(Context jndi, List<String> args, PrintStream out) throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue jobs = (Queue) jndi.lookup("samples/jobs");

        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, TunnelSession.INDIVIDUAL_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(jobs);
            for (String job : List.of("resize image", "send mail", "parse garbage")) {
                producer.send(session.createTextMessage(job));
            }
            MessageConsumer consumer = session.createConsumer(jobs);
            connection.start();

            int settled = 0;
            while (settled < 3) {
                Message message = consumer.receive(5_000);
                if (message == null) {
                    throw new IllegalStateException("only " + settled + " of 3 jobs were settled");
                }
                LockedMessage locked = (LockedMessage) message; // every TunnelMQ message is one
                String job = ((TextMessage) message).getText();
                out.println("got '" + job + "', delivery " + locked.getDeliveryCount() + ", locked for "
                        + Math.max(0, locked.getLockedUntil() - System.currentTimeMillis()) / 1000 + " s more");
                if (job.equals("parse garbage")) {
                    locked.deadLetter("not a job we understand");
                    out.println("  dead-lettered '" + job + "'");
                    settled++;
                } else if (job.equals("send mail") && locked.getDeliveryCount() == 1) {
                    locked.abandon(); // say the mail server was down: try again later
                    out.println("  abandoned '" + job + "': it will come again");
                } else {
                    locked.complete();
                    out.println("  completed '" + job + "'");
                    settled++;
                }
            }

            // the dead-letter queue of samples.jobs is DLQ.samples.jobs; the broker records why and how often
            Queue deadLetters = session.createQueue("DLQ." + jobs.getQueueName());
            try (MessageConsumer dlq = session.createConsumer(deadLetters)) {
                Message dead = dlq.receive(5_000);
                if (dead == null) {
                    throw new IllegalStateException("nothing arrived on " + deadLetters.getQueueName());
                }
                out.println("on " + deadLetters.getQueueName() + ": '" + ((TextMessage) dead).getText()
                        + "', reason: " + dead.getStringProperty("JMS_TMQ_DeadLetterReason"));
                dead.acknowledge();
            }
        }
    }
}
