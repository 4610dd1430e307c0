package io.tunnelmq.jms.integration;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import javax.naming.Context;
import javax.naming.InitialContext;

/**
 * A plain JMS program: jakarta.jms API only, every object from JNDI (jndi.properties on the classpath). It sends
 * 1,000 messages to a queue and receives them in order, once with the classic API and once with JMSContext,
 * then returns from main without System.exit: the JVM must end by itself.
 */
public final class SendReceiveProgram {
    static final int COUNT = 1000;

    public static void main(String[] args) throws Exception {
        Context jndi = new InitialContext();
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue classicQueue = (Queue) jndi.lookup("jms/classic");
        Queue contextQueue = (Queue) jndi.lookup("jms/context");

        Connection connection = factory.createConnection();
        try {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(classicQueue);
            for (int i = 0; i < COUNT; i++) {
                TextMessage m = session.createTextMessage("classic " + i);
                m.setIntProperty("seq", i);
                producer.send(m);
            }
            MessageConsumer consumer = session.createConsumer(classicQueue);
            connection.start();
            for (int i = 0; i < COUNT; i++) {
                Message m = consumer.receive(10_000);
                expect(m != null, "classic message " + i + " did not arrive");
                expect(("classic " + i).equals(((TextMessage) m).getText()), "classic message " + i + " out of order: "
                        + ((TextMessage) m).getText());
                expect(m.getIntProperty("seq") == i, "classic seq property " + i);
            }
            expect(consumer.receiveNoWait() == null, "classic: unexpected extra message");
        } finally {
            connection.close();
        }
        System.out.println("classic API: " + COUNT + " messages received in order");

        try (JMSContext context = factory.createContext()) {
            for (int i = 0; i < COUNT; i++) {
                context.createProducer().setProperty("seq", i).send(contextQueue, "context " + i);
            }
            JMSConsumer consumer = context.createConsumer(contextQueue);
            for (int i = 0; i < COUNT; i++) {
                String body = consumer.receiveBody(String.class, 10_000);
                expect(("context " + i).equals(body), "JMSContext message " + i + " wrong: " + body);
            }
            expect(consumer.receiveNoWait() == null, "JMSContext: unexpected extra message");
        }
        System.out.println("JMSContext: " + COUNT + " messages received in order");
        jndi.close();
    }

    private static void expect(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    private SendReceiveProgram() {
    }
}
