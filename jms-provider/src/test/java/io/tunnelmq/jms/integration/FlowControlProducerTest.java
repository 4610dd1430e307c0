package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Producer flow control over the real stack: asynchronous sends complete in send order on the session's callback
 * thread; a broker that stays full makes a send fail after the send timeout with an exception that says so —
 * synchronously or through the CompletionListener — and nothing sent before is lost.
 */
@Timeout(60)
class FlowControlProducerTest {
    private EmbeddedBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as(what + " within 10 s").isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private static BytesMessage message(Session s, int seq, int bodyBytes) throws JMSException {
        BytesMessage m = s.createBytesMessage();
        m.writeBytes(new byte[bodyBytes]);
        m.setIntProperty("seq", seq);
        return m;
    }

    @Test
    void completionListenersRunInSendOrderOneAtATimeOffTheSendingThread() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        int count = 2_000;
        List<Integer> completed = new CopyOnWriteArrayList<>();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger running = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(count);
        try (Connection c = new TunnelConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("async"));
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            CompletionListener listener = new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    if (running.incrementAndGet() > 1) {
                        overlapped.set(true);
                    }
                    try {
                        completed.add(message.getIntProperty("seq"));
                    } catch (JMSException e) {
                        throw new IllegalStateException(e);
                    }
                    threads.add(Thread.currentThread());
                    running.decrementAndGet();
                    done.countDown();
                }

                @Override
                public void onException(Message message, Exception exception) {
                    fail("send failed: " + exception);
                }
            };
            for (int i = 0; i < count; i++) {
                p.send(message(s, i, 1024), listener);
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).as("every completion").isTrue();
        }
        assertThat(completed).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(completed.get(i)).as("completion " + i).isEqualTo(i);
        }
        // one at a time and never on the sending thread (which pool thread runs them may change between bursts)
        assertThat(overlapped).isFalse();
        assertThat(threads).doesNotContain(Thread.currentThread());
        assertThat(broker.queueDepth("async")).isEqualTo(count);
    }

    @Test
    void aSendToAFullBrokerFailsAfterTheSendTimeoutAndSaysWhy() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0).withMemoryLimitBytes(256 * 1024));
        try (Connection c = new TunnelConnectionFactory(broker.url() + "?sendTimeout=500").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("full"));
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            int sent = 0; // sends that returned
            JMSException refused = null;
            long started = 0;
            while (refused == null) {
                assertThat(sent).as("a 256 KiB broker took 200 x 8 KiB without holding the producer").isLessThan(200);
                started = System.nanoTime();
                try {
                    p.send(message(s, sent, 8 * 1024));
                    sent++;
                } catch (JMSException e) {
                    refused = e;
                }
            }
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(refused).isInstanceOf(ResourceAllocationException.class);
            assertThat(refused.getMessage()).contains("500 ms").contains("full or slow");
            assertThat(waited).as("it waited for the send timeout").isGreaterThanOrEqualTo(450);

            // sends that returned while pipelined into the spent window and then timed out are reported, not dropped
            // silently: the producer's next send says so; everything else is in the queue
            int returned = sent;
            eventually("the queue holds what was sent", () -> broker.queueDepth("full") > 0);
            long queued = broker.queueDepth("full");
            assertThat(queued).isBetween((long) returned - 64, (long) returned);
            MessageConsumer consumer = s.createConsumer(s.createQueue("full"));
            c.start();
            for (int i = 0; i < queued; i++) {
                assertThat(consumer.receive(5_000).getIntProperty("seq")).isEqualTo(i);
            }
            if (queued < returned) {
                try {
                    p.send(message(s, 998, 8 * 1024));
                    fail("the earlier failed sends were not reported");
                } catch (ResourceAllocationException e) {
                    assertThat(e.getMessage()).contains("an earlier non-persistent send").contains("full or slow");
                }
            }
            // the connection carries on: with the queue drained, sends go through again
            p.send(message(s, 999, 8 * 1024));
            assertThat(consumer.receive(5_000).getIntProperty("seq")).isEqualTo(999);
        }
    }

    @Test
    void anAsynchronousSendToAFullBrokerReachesOnException() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0).withMemoryLimitBytes(256 * 1024));
        CompletableFuture<Exception> failure = new CompletableFuture<>();
        List<Integer> completed = new CopyOnWriteArrayList<>();
        try (Connection c = new TunnelConnectionFactory(broker.url() + "?sendTimeout=500").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("full"));
            CompletionListener listener = new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    try {
                        completed.add(message.getIntProperty("seq"));
                    } catch (JMSException e) {
                        failure.completeExceptionally(e);
                    }
                }

                @Override
                public void onException(Message message, Exception exception) {
                    failure.complete(exception);
                }
            };
            for (int i = 0; i < 200 && !failure.isDone(); i++) {
                p.send(message(s, i, 8 * 1024), listener);
            }
            Exception e = failure.get(10, TimeUnit.SECONDS);
            assertThat(e).isInstanceOf(ResourceAllocationException.class);
            assertThat(e.getMessage()).contains("full or slow");
            eventually("completed sends are in the queue", () -> broker.queueDepth("full") >= completed.size());
            assertThat(completed).as("completions before the failure, in order").isSorted().isNotEmpty();
        }
    }
}
