package io.tunnelmq.bench.compare;

import io.tunnelmq.jms.TunnelConnectionFactory;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load of one {@code cluster} run, in this JVM: producers sending persistent messages synchronously and
 * AUTO_ACKNOWLEDGE consumers receiving them from one queue, producer {@code i} and consumer {@code i} connected to
 * broker {@code i % brokers} so the clients spread evenly over the cluster. Counts what was sent and received in the
 * measured window that follows the warm-up.
 */
final class ClusterLoad {
    /** Sends and receives per second in the measured window, and what was still queued at its end. */
    record Result(double sentPerSecond, double receivedPerSecond, long received, long backlog, List<String> failures) {
    }

    /** Told when the measured window opens and when it closes, to take figures of its own over the same time. */
    interface Window {
        Window NONE = new Window() {
            @Override
            public void opened() {
            }

            @Override
            public void closed() {
            }
        };

        void opened();

        void closed();
    }

    private final List<String> urls;
    private final int producers;
    private final int consumers;
    private final int size;
    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    ClusterLoad(List<String> urls, int producers, int consumers, int size) {
        this.urls = List.copyOf(urls);
        this.producers = producers;
        this.consumers = consumers;
        this.size = size;
    }

    Result run(String queueName, Duration warmUp, Duration measured) throws Exception {
        return run(queueName, warmUp, measured, Window.NONE);
    }

    Result run(String queueName, Duration warmUp, Duration measured, Window window) throws Exception {
        List<Connection> connections = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < consumers; i++) {
                Connection c = connect(i, connections);
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue(queueName));
                c.start();
                threads.add(start("consumer-" + i, () -> {
                    while (running) {
                        if (consumer.receive(100) != null) {
                            received.increment();
                        }
                    }
                }));
            }
            byte[] body = new byte[size];
            for (int i = 0; i < producers; i++) {
                Connection c = connect(i, connections);
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Queue queue = s.createQueue(queueName);
                MessageProducer producer = s.createProducer(queue);
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                threads.add(start("producer-" + i, () -> {
                    while (running) {
                        BytesMessage m = s.createBytesMessage();
                        m.writeBytes(body);
                        producer.send(m);
                        sent.increment();
                    }
                }));
            }
            Thread.sleep(warmUp.toMillis());
            long sent0 = sent.sum();
            long received0 = received.sum();
            long began = System.nanoTime();
            window.opened();
            Thread.sleep(measured.toMillis());
            long sent1 = sent.sum();
            long received1 = received.sum();
            double seconds = (System.nanoTime() - began) / 1e9;
            window.closed();
            running = false;
            for (Thread t : threads) {
                t.join(10_000);
            }
            return new Result((sent1 - sent0) / seconds, (received1 - received0) / seconds, received1 - received0,
                    sent.sum() - received.sum(), List.copyOf(failures));
        } finally {
            running = false;
            for (Connection c : connections) {
                try {
                    c.close();
                } catch (JMSException e) {
                    failures.add("closing a connection: " + e);
                }
            }
        }
    }

    private Connection connect(int index, List<Connection> connections) throws JMSException {
        Connection c = new TunnelConnectionFactory(urls.get(index % urls.size())).createConnection();
        connections.add(c);
        return c;
    }

    @FunctionalInterface
    private interface Loop {
        void run() throws Exception;
    }

    private Thread start(String name, Loop loop) {
        Thread t = new Thread(() -> {
            try {
                loop.run();
            } catch (Exception e) {
                if (running) {
                    failures.add(name + ": " + e);
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
