package io.tunnelmq.jms.integration;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tunnelmq.jms.integration.BrokerClients.count;
import static io.tunnelmq.jms.integration.BrokerClients.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, case 2: consumers that open a session and consumer, take up to 10 messages, acknowledge and close (the
 * pattern of pooled JMS libraries and Spring's listener containers) release their unseen prefetched messages many
 * times over; no application saw those, so every message arrives once, with JMSXDeliveryCount 1 and
 * JMSRedelivered=false.
 */
@Timeout(90)
class PeekLockPromiseChurnTest {
    private static final int PRODUCERS = 8;
    private static final int CONSUMERS = 8;
    private static final int PER_PRODUCER = 1_000;
    private static final int TOTAL = PRODUCERS * PER_PRODUCER;
    private static final int TAKE = 10;
    private static final long GIVE_UP_MILLIS = 60_000;

    private BrokerClients clients;
    private ExecutorService threads;

    @BeforeEach
    void start() {
        clients = BrokerClients.start();
        threads = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        clients.close();
    }

    @Test
    void consumersThatTakeTenAndCloseSeeEveryMessageOnceAsNew() throws Exception {
        String queue = "promise.churn";
        Map<String, String> firstSeen = new ConcurrentHashMap<>();
        List<String> duplicates = new CopyOnWriteArrayList<>();
        AtomicInteger distinct = new AtomicInteger();
        long giveUp = System.currentTimeMillis() + GIVE_UP_MILLIS;

        List<Future<?>> work = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            work.add(threads.submit(() -> produce(queue, producer)));
        }
        for (int c = 0; c < CONSUMERS; c++) {
            work.add(threads.submit(() -> {
                Connection connection = clients.connect("");
                while (distinct.get() < TOTAL && System.currentTimeMillis() < giveUp) {
                    takeUpToTenAndClose(connection, queue, firstSeen, duplicates, distinct);
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get(GIVE_UP_MILLIS + 10_000, TimeUnit.MILLISECONDS);
        }

        assertThat(duplicates).as("messages that arrived more than once").isEmpty();
        assertThat(firstSeen).as("distinct messages received").hasSize(TOTAL);
        List<String> raised = firstSeen.entrySet().stream().filter(e -> !e.getValue().equals("1/false"))
                .map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
        assertThat(raised).as("%d messages arrived with a raised count or JMSRedelivered (count/redelivered) though no"
                + " application had received them before; the first: %s", raised.size(),
                raised.subList(0, Math.min(10, raised.size()))).isEmpty();
        assertThat(clients.broker.queueDepth(queue)).isZero();
    }

    private Void produce(String queue, int producer) throws JMSException {
        try (Connection c = clients.factory("").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            for (int i = 0; i < PER_PRODUCER; i++) {
                p.send(s.createTextMessage("p" + producer + "-" + i));
            }
        }
        return null;
    }

    private static void takeUpToTenAndClose(Connection connection, String queue, Map<String, String> firstSeen,
                                            List<String> duplicates, AtomicInteger distinct) throws JMSException {
        Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        try {
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            Message last = null;
            for (int i = 0; i < TAKE; i++) {
                Message m = consumer.receive(200);
                if (m == null) {
                    break;
                }
                last = m;
                String seen = count(m) + "/" + m.getJMSRedelivered();
                if (firstSeen.putIfAbsent(text(m), seen) == null) {
                    distinct.incrementAndGet();
                } else {
                    duplicates.add(text(m) + "=" + seen);
                }
            }
            if (last != null) {
                last.acknowledge();
            }
        } finally {
            session.close();
        }
    }
}
