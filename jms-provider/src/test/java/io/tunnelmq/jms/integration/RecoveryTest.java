package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker with a journal stops and starts again on the same data directory: queues come back in order (priority
 * order kept), with dead letters, raised delivery counts, durable subscriptions with their selectors and messages,
 * and scheduled messages; non-persistent messages, uncommitted transactions and completed messages do not.
 */
@Timeout(60)
class RecoveryTest {
    private static final long WAIT = 5_000;

    @TempDir
    Path data;

    private EmbeddedBroker broker;

    private Connection connect(String clientId) throws JMSException {
        if (broker == null) {
            broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0).withJournal(data)
                    .withQueueOverride("poison", 0, 1));
        }
        Connection c = new TunnelConnectionFactory(broker.url()).createConnection();
        if (clientId != null) {
            c.setClientID(clientId);
        }
        c.start();
        return c;
    }

    private void restart() {
        broker.close();
        broker = null;
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static void send(Session s, Queue queue, String text, int priority, int deliveryMode) throws JMSException {
        MessageProducer p = s.createProducer(queue);
        p.send(s.createTextMessage(text), deliveryMode, priority, 0);
        p.close();
    }

    private static List<String> drain(Session s, Queue queue) throws JMSException {
        List<String> texts = new ArrayList<>();
        try (MessageConsumer c = s.createConsumer(queue)) {
            for (Message m; (m = c.receive(texts.isEmpty() ? WAIT : 300)) != null; ) {
                texts.add(((TextMessage) m).getText());
            }
        }
        return texts;
    }

    @Test
    void whatWasStoredComesBackAndNothingElse() throws Exception {
        long scheduledFor;
        try (Connection c = connect("c1")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue orders = s.createQueue("orders");
            send(s, orders, "m1", 4, DeliveryMode.PERSISTENT);
            send(s, orders, "m2", 9, DeliveryMode.PERSISTENT);
            send(s, orders, "n1", 4, DeliveryMode.NON_PERSISTENT);
            send(s, orders, "m3", 4, DeliveryMode.PERSISTENT);
            send(s, s.createQueue("poison"), "p1", 4, DeliveryMode.PERSISTENT);
            send(s, s.createQueue("retry"), "r1", 4, DeliveryMode.PERSISTENT);
            send(s, s.createQueue("done"), "d1", 4, DeliveryMode.PERSISTENT);
            send(s, s.createQueue("done"), "d2", 4, DeliveryMode.PERSISTENT);

            Topic news = s.createTopic("news");
            s.createDurableSubscriber(news, "sub", "kind = 'big'", false).close();
            MessageProducer publisher = s.createProducer(news);
            for (String text : List.of("big1", "small1", "big2")) {
                TextMessage m = s.createTextMessage(text);
                m.setStringProperty("kind", text.startsWith("big") ? "big" : "small");
                publisher.send(m);
            }

            MessageProducer later = s.createProducer(s.createQueue("later"));
            later.setDeliveryDelay(1_500);
            TextMessage scheduled = s.createTextMessage("s1");
            later.send(scheduled);
            scheduledFor = scheduled.getJMSDeliveryTime();

            try (MessageConsumer done = s.createConsumer(s.createQueue("done"))) {
                assertThat(((TextMessage) done.receive(WAIT)).getText()).isEqualTo("d1");
            }

            Session ack = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            try (MessageConsumer poison = ack.createConsumer(ack.createQueue("poison"));
                 MessageConsumer retry = ack.createConsumer(ack.createQueue("retry"))) {
                assertThat(poison.receive(WAIT)).isNotNull();
                assertThat(retry.receive(WAIT)).isNotNull();
            }
            ack.close(); // abandons both: p1 runs out of deliveries (max 1), r1's count becomes 2

            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            send(tx, orders, "u1", 4, DeliveryMode.PERSISTENT);
            tx.close(); // never committed
        }
        restart();

        try (Connection c = connect("c1")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            send(s, s.createQueue("fresh"), "x1", 4, DeliveryMode.PERSISTENT);

            assertThat(drain(s, s.createQueue("orders"))).containsExactly("m2", "m1", "m3");

            try (MessageConsumer dlq = s.createConsumer(s.createQueue("DLQ.poison"))) {
                Message dead = dlq.receive(WAIT);
                assertThat(((TextMessage) dead).getText()).isEqualTo("p1");
                assertThat(dead.getStringProperty("JMS_TMQ_DeadLetterReason")).startsWith("MaxDeliveryCountExceeded");
            }
            try (MessageConsumer retry = s.createConsumer(s.createQueue("retry"))) {
                Message r1 = retry.receive(WAIT);
                assertThat(((TextMessage) r1).getText()).isEqualTo("r1");
                assertThat(r1.getJMSRedelivered()).isTrue();
                assertThat(r1.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            }
            QueueBrowser browser = s.createBrowser(s.createQueue("done"));
            List<String> done = new ArrayList<>();
            for (Object m : Collections.list(browser.getEnumeration())) {
                done.add(((TextMessage) m).getText());
            }
            assertThat(done).containsExactly("d2");

            try (MessageConsumer sub = s.createDurableSubscriber(s.createTopic("news"), "sub", "kind = 'big'", false)) {
                assertThat(((TextMessage) sub.receive(WAIT)).getText()).isEqualTo("big1");
                assertThat(((TextMessage) sub.receive(WAIT)).getText()).isEqualTo("big2");
            }

            try (MessageConsumer later = s.createConsumer(s.createQueue("later"))) {
                Message s1 = later.receive(WAIT);
                assertThat(((TextMessage) s1).getText()).isEqualTo("s1");
                assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(scheduledFor);
                assertThat(s1.getJMSDeliveryTime()).isEqualTo(scheduledFor);
            }
        }
        restart();

        try (Connection c = connect("c1")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThat(drain(s, s.createQueue("fresh"))).as("ids continue after the recovered ones").containsExactly("x1");
            assertThat(drain(s, s.createQueue("done"))).containsExactly("d2");
            assertThat(drain(s, s.createQueue("orders"))).as("completed messages never come back").isEmpty();
            s.unsubscribe("sub");
        }
        restart();
        try (Connection c = connect("c1")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // the subscription is gone for good: unsubscribing again fails
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.unsubscribe("sub"))
                    .isInstanceOf(jakarta.jms.InvalidDestinationException.class);
        }
    }
}
