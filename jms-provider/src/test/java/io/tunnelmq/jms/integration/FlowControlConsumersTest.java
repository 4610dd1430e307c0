package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer flow control over the real stack with default settings unless a test says otherwise: prefetch never
 * starves a competing consumer (revocation), a slow consumer never holds messages a fast one could take, prefetch=0
 * pulls, and byte credit bounds what a consumer buffers.
 */
@Timeout(60)
class FlowControlConsumersTest {
    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private TunnelConnectionFactory factory(String options) {
        return new TunnelConnectionFactory(broker.url() + options);
    }

    private void produce(String queue, int count, int bodyBytes) throws Exception {
        try (Connection c = factory("").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            for (int i = 0; i < count; i++) {
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(new byte[bodyBytes]);
                m.setIntProperty("seq", i);
                p.send(m);
            }
        }
    }

    private static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as(what + " within 10 s").isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    @Test
    void aCompetingConsumerGetsTheNextMessageQuicklyWhileAnotherHoldsALockAndMorePrefetched() throws Exception {
        produce("revoke", 20, 100);
        try (Connection first = factory("").createConnection(); Connection second = factory("").createConnection()) {
            Session holding = first.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer holder = holding.createConsumer(holding.createQueue("revoke"));
            first.start();
            Message held = holder.receive(5_000);
            assertThat(held.getIntProperty("seq")).isZero();
            eventually("all 20 prefetched by the first consumer", () -> broker.queueStats("revoke").locked() == 20);

            Session competing = second.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer competitor = competing.createConsumer(competing.createQueue("revoke"));
            long started = System.nanoTime();
            second.start();
            Message next = competitor.receive(2_000);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(next).as("the competing consumer got a message within 2 s").isNotNull();
            System.out.println("competing consumer got its first message after " + millis + " ms");
            assertThat(next.getJMSRedelivered()).as("a released prefetched message is not redelivered").isFalse();
            assertThat(next.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);

            // together they get every message exactly once, all first deliveries
            Set<Integer> seen = new HashSet<>();
            seen.add(held.getIntProperty("seq"));
            seen.add(next.getIntProperty("seq"));
            for (MessageConsumer c : new MessageConsumer[] {competitor, holder}) {
                for (Message m; (m = c.receive(300)) != null; ) {
                    assertThat(seen.add(m.getIntProperty("seq"))).as("message " + m.getIntProperty("seq")
                            + " delivered twice").isTrue();
                    assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
                    assertThat(m.getJMSRedelivered()).isFalse();
                }
            }
            assertThat(seen).hasSize(20);
            assertThat(broker.queueStats("revoke").delivered())
                    .as("revoked messages were released and delivered again").isGreaterThan(20);
        }
    }

    @Test
    void aSlowConsumerDoesNotHoldMessagesAFastOneCouldTake() throws Exception {
        int total = 300;
        produce("slowfast", total, 100);
        AtomicInteger slowCount = new AtomicInteger();
        AtomicInteger fastCount = new AtomicInteger();
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch all = new CountDownLatch(total);
        try (Connection slowConnection = factory("").createConnection();
             Connection fastConnection = factory("").createConnection()) {
            Session slowSession = slowConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            slowSession.createConsumer(slowSession.createQueue("slowfast")).setMessageListener(m -> {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // simulated slow work
                slowCount.incrementAndGet();
                record(seen, m, all);
            });
            slowConnection.start();
            eventually("the slow consumer prefetched", () -> broker.queueStats("slowfast").locked() >= 50);

            Session fastSession = fastConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            fastSession.createConsumer(fastSession.createQueue("slowfast")).setMessageListener(m -> {
                fastCount.incrementAndGet();
                record(seen, m, all);
            });
            fastConnection.start();

            assertThat(all.await(30, TimeUnit.SECONDS)).as("all messages consumed").isTrue();
        }
        System.out.println("slow consumer: " + slowCount + " messages, fast consumer: " + fastCount);
        assertThat(seen).hasSize(total);
        assertThat(fastCount.get()).as("the fast consumer did most of the work").isGreaterThan(total * 3 / 4);
        assertThat(slowCount.get()).as("the slow one did not keep its prefetch").isLessThan(60);
    }

    private static void record(Set<Integer> seen, Message m, CountDownLatch all) {
        try {
            if (seen.add(m.getIntProperty("seq"))) {
                all.countDown();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void withPrefetchZeroEachReceivePullsOneMessage() throws Exception {
        produce("pull", 2, 10);
        try (Connection a = factory("?prefetch=0").createConnection();
             Connection b = factory("?prefetch=0").createConnection()) {
            Session sa = a.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Session sb = b.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer ca = sa.createConsumer(sa.createQueue("pull"));
            MessageConsumer cb = sb.createConsumer(sb.createQueue("pull"));
            a.start();
            b.start();
            assertThat(broker.queueStats("pull").locked()).as("nothing delivered before a receive").isZero();

            Message first = ca.receive(5_000);
            assertThat(first.getIntProperty("seq")).isZero();
            assertThat(broker.queueStats("pull").available()).as("only the pulled message left the queue").isOne();

            Message second = cb.receive(5_000);
            assertThat(second.getIntProperty("seq")).isOne();
            assertThat(ca.receive(200)).isNull();
        }
    }

    @Test
    void byteCreditBoundsWhatAConsumerBuffersOfLargeMessages() throws Exception {
        int body = 16 * 1024;
        produce("large", 20, body);
        try (Connection c = factory("?prefetchBytes=65536").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("large"));
            c.start();
            eventually("deliveries started", () -> broker.queueStats("large").locked() > 0);
            // 64 KiB of credit buys four 16 KiB messages (the fourth on the half-credit allowance), not twenty
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < deadline) {
                assertThat(broker.queueStats("large").locked()).isBetween(1L, 4L);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            for (int i = 0; i < 20; i++) {
                Message m = consumer.receive(5_000);
                assertThat(m).as("message " + i).isNotNull();
                assertThat(m.getIntProperty("seq")).isEqualTo(i);
                assertThat(broker.queueStats("large").locked()).isLessThanOrEqualTo(5);
            }
        }
    }

    @Test
    void aMessageLargerThanTheWholeByteCreditStillGetsThrough() throws Exception {
        produce("huge", 3, 100 * 1024);
        try (Connection c = factory("?prefetchBytes=10000").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("huge"));
            c.start();
            for (int i = 0; i < 3; i++) {
                Message m = consumer.receive(5_000);
                assertThat(m).as("message " + i).isNotNull();
                assertThat(((BytesMessage) m).getBodyLength()).isEqualTo(100 * 1024);
            }
        }
    }
}
