package io.tunnelmq.jms.integration;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.tunnelmq.jms.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 18: brokers over one PostgreSQL database serve the same queues, as a JMS application sees it through the real
 * client: a message sent through one broker is received through another, competing consumers on different brokers
 * share a queue with peek-lock, and transactions and dead-lettering span brokers.
 */
@Timeout(60)
class ClusterTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** How long a receive waits where the test expects nothing: a message sent or freed elsewhere arrives sooner. */
    private static final long NOTHING_MILLIS = 1_000;

    @TempDir
    Path data;

    private BrokerCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Connection connect(String url) throws JMSException {
        return cluster.connect(url, null);
    }

    private static void send(Session session, Queue queue, int deliveryMode, String... bodies) throws JMSException {
        MessageProducer producer = session.createProducer(queue);
        producer.setDeliveryMode(deliveryMode);
        for (String body : bodies) {
            producer.send(session.createTextMessage(body));
        }
    }

    /** Receives {@code count} messages, failing when one does not come within the patience of a cluster. */
    private static List<Message> receive(MessageConsumer consumer, int count) throws JMSException {
        List<Message> got = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (got.size() < count && System.nanoTime() < deadline) {
            Message m = consumer.receive(100);
            if (m != null) {
                got.add(m);
            }
        }
        assertThat(got).as("messages received within %s", PATIENCE).hasSize(count);
        return got;
    }

    private static List<String> bodies(List<Message> messages) throws JMSException {
        List<String> bodies = new ArrayList<>();
        for (Message m : messages) {
            bodies.add(((TextMessage) m).getText());
        }
        return bodies;
    }

    private static String[] numbered(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toArray(String[]::new);
    }

    private void nothingLeft(String queue) throws InterruptedException {
        eventually("no message of " + queue + " left in the database", PATIENCE, () -> cluster.stored(queue) == 0);
    }

    @Test
    void messagesSentThroughOneBrokerAreReceivedThroughTheOtherInOrder() throws Exception {
        cluster = BrokerCluster.start(data, 2);
        Session a = connect(cluster.url(0)).createSession(false, Session.AUTO_ACKNOWLEDGE);
        Session b = connect(cluster.url(1)).createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue queue = a.createQueue("cluster.orders");
        String[] persistent = numbered("p", 50);
        String[] transientOnes = numbered("n", 50);
        send(a, queue, DeliveryMode.PERSISTENT, persistent);
        send(a, queue, DeliveryMode.NON_PERSISTENT, transientOnes);

        MessageConsumer consumer = b.createConsumer(queue);
        List<String> expected = new ArrayList<>(List.of(persistent));
        expected.addAll(List.of(transientOnes));
        List<Message> got = receive(consumer, 100);
        assertThat(bodies(got)).as("one producer's order, through the other broker").containsExactlyElementsOf(expected);
        assertThat(got).allSatisfy(m -> assertThat(m.getJMSRedelivered()).isFalse());
        assertThat(consumer.receive(NOTHING_MILLIS)).as("nothing more").isNull();
        nothingLeft("cluster.orders");
    }

    @Test
    void competingConsumersOnTwoBrokersEachGetSomeAndEveryMessageOnce() throws Exception {
        cluster = BrokerCluster.start(data, 2);
        Session a = connect(cluster.url(0, "prefetch=1")).createSession(false, Session.AUTO_ACKNOWLEDGE);
        Session b = connect(cluster.url(1, "prefetch=1")).createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue queue = a.createQueue("cluster.work");
        Map<String, Integer> times = new ConcurrentHashMap<>();
        AtomicInteger onA = new AtomicInteger();
        AtomicInteger onB = new AtomicInteger();
        List<String> problems = new CopyOnWriteArrayList<>();
        a.createConsumer(queue).setMessageListener(m -> counted(m, times, onA, problems));
        b.createConsumer(queue).setMessageListener(m -> counted(m, times, onB, problems));

        Session producing = connect(cluster.url(0)).createSession(false, Session.AUTO_ACKNOWLEDGE);
        int count = 400;
        send(producing, queue, DeliveryMode.PERSISTENT, numbered("w", count));

        eventually("all " + count + " messages consumed", PATIENCE, () -> times.size() == count);
        assertThat(problems).isEmpty();
        assertThat(times.values()).as("every message once").allMatch(t -> t == 1);
        assertThat(onA.get() + onB.get()).isEqualTo(count);
        assertThat(onA.get()).as("consumed through broker A").isPositive();
        assertThat(onB.get()).as("consumed through broker B").isPositive();
        nothingLeft("cluster.work");
    }

    private static void counted(Message m, Map<String, Integer> times, AtomicInteger here, List<String> problems) {
        try {
            if (m.getJMSRedelivered()) {
                problems.add("redelivered although nothing failed: " + ((TextMessage) m).getText());
            }
            times.merge(((TextMessage) m).getText(), 1, Integer::sum);
            here.incrementAndGet();
        } catch (JMSException e) {
            problems.add(e.toString());
        }
    }

    @Test
    void aMessageLockedThroughOneBrokerIsNotGivenToTheOtherUntilItIsAbandoned() throws Exception {
        cluster = BrokerCluster.start(data, 2);
        Session a = connect(cluster.url(0, "prefetch=0")).createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Session b = connect(cluster.url(1, "prefetch=0")).createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue queue = a.createQueue("cluster.locks");
        send(a, queue, DeliveryMode.PERSISTENT, "first", "second");

        MessageConsumer onA = a.createConsumer(queue);
        Message first = onA.receive(PATIENCE.toMillis());
        assertThat(((TextMessage) first).getText()).isEqualTo("first");
        MessageConsumer onB = b.createConsumer(queue);
        Message next = onB.receive(PATIENCE.toMillis());
        assertThat(((TextMessage) next).getText()).as("the competing consumer gets the next message").isEqualTo("second");
        next.acknowledge();
        assertThat(onB.receive(NOTHING_MILLIS)).as("the message locked through broker A").isNull();

        a.recover(); // abandons "first": it is free again, for either consumer
        Message again = null;
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (again == null && System.nanoTime() < deadline) {
            again = onB.receive(50);
            if (again == null) {
                again = onA.receive(50);
            }
        }
        assertThat(again).as("the abandoned message, on either broker").isNotNull();
        assertThat(((TextMessage) again).getText()).isEqualTo("first");
        assertThat(again.getJMSRedelivered()).isTrue();
        assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        again.acknowledge();
        nothingLeft("cluster.locks");
    }

    @Test
    void aTransactionCommittedThroughOneBrokerIsReceivedRolledBackAndCommittedThroughTheOther() throws Exception {
        cluster = BrokerCluster.start(data, 2);
        Session a = connect(cluster.url(0)).createSession(true, Session.SESSION_TRANSACTED);
        Session b = connect(cluster.url(1)).createSession(true, Session.SESSION_TRANSACTED);
        Queue queue = a.createQueue("cluster.tx");
        String[] sent = numbered("t", 10);
        send(a, queue, DeliveryMode.PERSISTENT, sent);
        MessageConsumer consumer = b.createConsumer(queue);
        assertThat(consumer.receive(NOTHING_MILLIS)).as("sends before the commit are invisible").isNull();

        a.commit();
        List<Message> first = receive(consumer, sent.length);
        assertThat(bodies(first)).containsExactly(sent);
        b.rollback();
        List<Message> again = receive(consumer, sent.length);
        assertThat(bodies(again)).as("after the rollback, in order").containsExactly(sent);
        assertThat(again).allSatisfy(m -> assertThat(m.getJMSRedelivered()).isTrue());
        b.commit();

        nothingLeft("cluster.tx");
        Session checking = connect(cluster.url(0)).createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThat(checking.createConsumer(queue).receive(NOTHING_MILLIS)).as("nothing left on broker A").isNull();
    }

    @Test
    void aMessageAbandonedThroughBothBrokersUntilItsMaxDeliveryCountIsDeadLetteredForEither() throws Exception {
        cluster = BrokerCluster.start(data, 2, c -> c.withQueueOverride("cluster.poison", 0, 3));
        Connection a = connect(cluster.url(0, "prefetch=0"));
        Connection b = connect(cluster.url(1, "prefetch=0"));
        Session producing = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue queue = producing.createQueue("cluster.poison");
        send(producing, queue, DeliveryMode.PERSISTENT, "poison");

        // delivery 1 on A, 2 on B, 3 on A: each abandoned by recover(), and its consumer closed, so the next
        // delivery can only be made through the other broker
        for (int delivery = 1; delivery <= 3; delivery++) {
            Connection through = delivery % 2 == 1 ? a : b;
            Session session = through.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(queue);
            Message m = consumer.receive(PATIENCE.toMillis());
            assertThat(m).as("delivery %d", delivery).isNotNull();
            assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(delivery);
            session.recover();
            session.close();
        }

        Session dlqOnB = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Message dead = dlqOnB.createConsumer(dlqOnB.createQueue("DLQ.cluster.poison")).receive(PATIENCE.toMillis());
        assertThat(dead).as("the dead letter, received through the other broker").isNotNull();
        assertThat(((TextMessage) dead).getText()).isEqualTo("poison");
        Session onA = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThat(onA.createConsumer(queue).receive(NOTHING_MILLIS)).as("nothing left in the queue").isNull();
        nothingLeft("cluster.poison");
        nothingLeft("DLQ.cluster.poison");
    }

    @Test
    void threeBrokersWithAProducerAndAConsumerEachDeliverEveryMessageOnce() throws Exception {
        cluster = BrokerCluster.start(data, 3);
        int perProducer = 150;
        Map<String, Integer> times = new ConcurrentHashMap<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicInteger[] perBroker = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        for (int i = 0; i < 3; i++) {
            Session s = connect(cluster.url(i, "prefetch=5")).createSession(false, Session.AUTO_ACKNOWLEDGE);
            AtomicInteger here = perBroker[i];
            s.createConsumer(s.createQueue("cluster.three")).setMessageListener(m -> counted(m, times, here, problems));
        }
        List<Thread> producers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Session s = connect(cluster.url(i)).createSession(false, Session.AUTO_ACKNOWLEDGE);
            String prefix = "b" + i + "-";
            Thread t = new Thread(() -> {
                try {
                    send(s, s.createQueue("cluster.three"), DeliveryMode.PERSISTENT, numbered(prefix, perProducer));
                } catch (JMSException e) {
                    problems.add("producer " + prefix + ": " + e);
                }
            }, "producer " + prefix);
            t.start();
            producers.add(t);
        }
        for (Thread t : producers) {
            t.join(PATIENCE.toMillis());
        }
        eventually("all messages consumed", PATIENCE, () -> times.size() == 3 * perProducer || !problems.isEmpty());
        assertThat(problems).isEmpty();
        assertThat(times.values()).as("every message once").allMatch(t -> t == 1);
        assertThat(perBroker[0].get() + perBroker[1].get() + perBroker[2].get()).isEqualTo(3 * perProducer);
        nothingLeft("cluster.three");
    }

    @Test
    void aClientIdIsOnOneConnectionAtATimeThroughAnyBrokerAndFreeOnceItClosed() throws Exception {
        cluster = BrokerCluster.start(data, 2);
        Connection first = cluster.connect(cluster.url(0), "app");
        Connection second = connect(cluster.url(1));
        assertThatThrownBy(() -> cluster.connect(cluster.url(1), "app")).isInstanceOf(InvalidClientIDException.class)
                .hasMessageContaining("'app' is already in use", "another over the same database");
        first.close(); // returns once the client ID is free on every broker
        Connection again = cluster.connect(cluster.url(1), "app");
        assertThat(again.getClientID()).isEqualTo("app");
        assertThat(second.getClientID()).isNull();
    }
}
