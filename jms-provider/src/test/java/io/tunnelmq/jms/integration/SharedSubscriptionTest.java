package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JMS 2.0 shared subscriptions (non-durable and durable) through the real client, tunnel and broker. */
@Timeout(60)
class SharedSubscriptionTest {
    private static final long WAIT = 5_000;
    private static final long NOTHING = 300;

    private EmbeddedBroker broker;
    private TunnelConnectionFactory factory;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        // prefetch 1, so competing consumers split a burst instead of the first one buffering all of it
        factory = new TunnelConnectionFactory(broker.url() + "?prefetch=1");
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private Connection connect() throws JMSException {
        Connection c = factory.createConnection();
        c.start();
        return c;
    }

    private static void publish(Connection c, Topic topic, int count, String prefix) throws JMSException {
        try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(topic);
            for (int i = 0; i < count; i++) {
                p.send(s.createTextMessage(prefix + i));
            }
        }
    }

    @Test
    void consumersOfASharedSubscriptionOnSeveralConnectionsSplitTheMessages() throws Exception {
        try (Connection a = connect(); Connection b = connect(); Connection publisher = connect()) {
            Set<String> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger duplicates = new AtomicInteger();
            AtomicInteger byA = new AtomicInteger();
            AtomicInteger byB = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(40);
            for (Connection c : List.of(a, b)) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createSharedConsumer(s.createTopic("work"), "workers");
                AtomicInteger mine = c == a ? byA : byB;
                consumer.setMessageListener(m -> {
                    try {
                        if (!seen.add(((TextMessage) m).getText())) {
                            duplicates.incrementAndGet();
                        }
                        mine.incrementAndGet();
                    } catch (JMSException e) {
                        throw new IllegalStateException(e);
                    }
                    all.countDown();
                });
            }
            publish(publisher, publisher.createSession().createTopic("work"), 40, "job");
            assertThat(all.await(10, TimeUnit.SECONDS)).as("all 40 jobs consumed").isTrue();
            assertThat(duplicates).hasValue(0);
            assertThat(seen).hasSize(40);
            assertThat(byA.get()).as("connection a's share").isPositive();
            assertThat(byB.get()).as("connection b's share").isPositive();
        }
    }

    @Test
    void aSharedNonDurableSubscriptionEndsWithItsLastConsumer() throws Exception {
        try (Connection c = connect(); Connection publisher = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = s.createTopic("events");
            MessageConsumer one = s.createSharedConsumer(topic, "group");
            MessageConsumer two = s.createSharedConsumer(topic, "group");
            one.close();
            publish(publisher, topic, 1, "kept");
            assertThat(((TextMessage) two.receive(WAIT)).getText()).as("the subscription lives on with one consumer")
                    .isEqualTo("kept0");
            two.close();
            publish(publisher, topic, 1, "lost");

            MessageConsumer again = s.createSharedConsumer(topic, "group");
            assertThat(again.receive(NOTHING)).as("a new subscription does not see what came before it").isNull();
        }
    }

    @Test
    void aSharedDurableSubscriptionKeepsMessagesWithoutConsumersAndNeedsNoClientId() throws Exception {
        try (Connection c = connect(); Connection publisher = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = s.createTopic("ledger");
            s.createSharedDurableConsumer(topic, "auditors").close();
            publish(publisher, topic, 2, "entry");

            MessageConsumer back = s.createSharedDurableConsumer(topic, "auditors");
            assertThat(((TextMessage) back.receive(WAIT)).getText()).isEqualTo("entry0");
            assertThat(((TextMessage) back.receive(WAIT)).getText()).isEqualTo("entry1");
            back.close();
            s.unsubscribe("auditors");
        }
    }

    @Test
    void aLiveSharedSubscriptionRefusesAnotherTopicAndAnUnsharedDurableOfTheSameName() throws Exception {
        try (Connection c = factory.createConnection()) {
            c.setClientID("mixer");
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer live = s.createSharedConsumer(s.createTopic("t1"), "shared-name");
            assertThatThrownBy(() -> s.createSharedConsumer(s.createTopic("t2"), "shared-name"))
                    .isInstanceOf(JMSException.class).hasMessageContaining("t1");

            s.createSharedDurableConsumer(s.createTopic("t1"), "durable-name").close();
            assertThatThrownBy(() -> s.createDurableConsumer(s.createTopic("t1"), "durable-name"))
                    .isInstanceOf(JMSException.class).hasMessageContaining("shared");
            live.close();
            s.unsubscribe("durable-name");
        }
    }

    @Test
    void sharedConsumersCreatedConcurrentlyFromManyConnectionsJoinOneSubscription() throws Exception {
        int consumers = 6;
        List<Connection> connections = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(consumers);
        try {
            CyclicBarrier together = new CyclicBarrier(consumers);
            List<Future<MessageConsumer>> made = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                Connection c = connect();
                connections.add(c);
                made.add(pool.submit(() -> {
                    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    Topic topic = s.createTopic("race");
                    together.await(10, TimeUnit.SECONDS);
                    return s.createSharedDurableConsumer(topic, "one-subscription");
                }));
            }
            Set<String> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger total = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(30);
            for (Future<MessageConsumer> f : made) {
                f.get(10, TimeUnit.SECONDS).setMessageListener((Message m) -> {
                    try {
                        seen.add(((TextMessage) m).getText());
                    } catch (JMSException e) {
                        throw new IllegalStateException(e);
                    }
                    total.incrementAndGet();
                    all.countDown();
                });
            }
            publish(connections.get(0), connections.get(0).createSession().createTopic("race"), 30, "m");
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(seen).as("each message once: one subscription, not six").hasSize(30);
            try (Connection check = connect()) {
                MessageConsumer late = check.createSession(false, Session.AUTO_ACKNOWLEDGE)
                        .createSharedDurableConsumer(check.createSession().createTopic("race"), "one-subscription");
                assertThat(late.receive(NOTHING)).isNull();
            }
            assertThat(total).as("no message delivered twice").hasValue(30);
        } finally {
            pool.shutdownNow();
            for (Connection c : connections) {
                c.close();
            }
        }
    }
}
