package io.tunnelmq.bench.scale;

import io.tunnelmq.bench.CommandLine;
import io.tunnelmq.bench.Csv;
import io.tunnelmq.bench.ExitCode;
import io.tunnelmq.bench.load.LoadResult;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * {@code ScaleClient queues}: {@code --queues Q} queues {@code scale.q.<i>}, each with one connection holding a
 * producer session and a consumer session whose MessageListener takes the messages (so 2·Q sessions need no thread
 * each). A scheduler of {@code --send-threads} threads sends {@code --rate} messages per second to every queue, each
 * producer at a random phase so the sends spread over the second. Latency counts from the intended send time (a
 * scheduler that falls behind shows as latency), measured after {@code --warmup} for {@code --duration}; the result
 * is one {@link LoadResult} row in {@code --csv}.
 */
final class ManyQueues {
    static final String SENT_AT = "benchSentNanos";
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final Recorder latency = new Recorder(3);
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final ConnectionFactory factory;
    private final byte[] body;
    private final int deliveryMode;

    private ManyQueues(ConnectionFactory factory, int size, boolean persistent) {
        this.factory = factory;
        this.body = new byte[size];
        this.deliveryMode = persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT;
    }

    /** One queue's client: a connection with a producer session and a listening consumer session. */
    private record QueueClient(Connection connection, Session producerSession, MessageProducer producer) {
    }

    static int run(CommandLine line) throws InterruptedException, IOException, JMSException {
        ConnectionFactory factory = ScaleClient.factory(ScaleClient.jndi(line));
        int queues = line.integer("queues", 1_000);
        int rate = line.integer("rate", 10);
        int openThreads = line.integer("open-threads", 16);
        int sendThreads = line.integer("send-threads", 4);
        Duration warmup = line.duration("warmup", Duration.ofSeconds(15));
        Duration duration = line.duration("duration", Duration.ofSeconds(10));
        String label = line.string("label", "queues");
        String csv = line.string("csv", null);
        ManyQueues run = new ManyQueues(factory, line.integer("size", 1024), line.flag("persistent"));
        line.requireAllUsed();
        if (csv == null) {
            throw new IllegalArgumentException("--csv FILE is required: the result row goes there");
        }
        LoadResult result = run.measure(queues, rate, openThreads, sendThreads, warmup, duration, label);
        Csv.append(Path.of(csv), LoadResult.CSV_HEADER, List.of(result.csvValues()));
        System.out.printf(Locale.ROOT, "%s: sent %d, received %d in %.1f s; latency p50 %.3f ms, p99 %.3f ms, "
                        + "p99.9 %.3f ms, max %.3f ms%s%n", label, result.sent(), result.received(), result.seconds(),
                result.p50Micros() / 1000, result.p99Micros() / 1000, result.p999Micros() / 1000,
                result.maxMicros() / 1000, result.ok() ? "" : "; FAILED: " + result.error());
        return result.ok() ? ExitCode.OK : ExitCode.FAILED;
    }

    private LoadResult measure(int queues, int rate, int openThreads, int sendThreads,
                               Duration warmup, Duration duration, String label)
            throws InterruptedException, JMSException {
        AtomicReferenceArray<QueueClient> clients = new AtomicReferenceArray<>(queues);
        OpenReport opened = Opener.open(clients, openThreads, this::open);
        System.out.println(opened.line());
        String provider = provider(clients);
        String shape = String.format(Locale.ROOT, "%d queues, each 1 producer at %d msg/s (%s %d B) -> 1 listener",
                queues, rate, deliveryMode == DeliveryMode.PERSISTENT ? "persistent" : "non-persistent", body.length);
        try {
            if (!opened.ok()) {
                return new LoadResult(label, provider, shape, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                        "opening the queues' clients failed: " + opened.error());
            }
            ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(sendThreads, r -> {
                Thread t = new Thread(r, "scale-sender");
                t.setDaemon(true);
                return t;
            });
            long period = TimeUnit.SECONDS.toNanos(1) / rate;
            List<ScheduledFuture<?>> senders = new ArrayList<>();
            for (int i = 0; i < queues; i++) {
                QueueClient client = clients.get(i);
                senders.add(atFixedRate(scheduler, System::nanoTime, ThreadLocalRandom.current().nextLong(period),
                        period, first -> sender(client, first, period)));
            }
            Thread.sleep(warmup.toMillis());
            latency.reset();
            long s0 = sent.sum();
            long r0 = received.sum();
            long t0 = System.nanoTime();
            Thread.sleep(duration.toMillis());
            Histogram window = latency.getIntervalHistogram();
            long s1 = sent.sum();
            long r1 = received.sum();
            double seconds = (System.nanoTime() - t0) / 1e9;
            senders.forEach(f -> f.cancel(false));
            scheduler.shutdown();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
            long left = drain();
            String error = failure.get() != null ? failure.get()
                    : left > 0 ? left + " messages sent were not received within " + DRAIN.toSeconds() + " s" : null;
            return new LoadResult(label, provider, shape, seconds, s1 - s0, r1 - r0, (s1 - s0) / seconds,
                    (r1 - r0) / seconds, window.getTotalCount(), micros(window, 50), micros(window, 95),
                    micros(window, 99), micros(window, 99.9), window.getMaxValue() / 1000.0, error);
        } finally {
            Opener.closeAll(clients, openThreads, p -> p.connection().close());
        }
    }

    /**
     * Schedules one producer's sends every {@code period} ns, the first {@code phase} ns from now; {@code sender} gets
     * the time the first is meant to go, on {@code clock}. That time counts from this call: a start shared by all
     * producers, taken before the loop that schedules them, made each later producer's sends late by the time the
     * loop took to reach it (its first calls start the scheduler's threads), a constant in all its latencies.
     */
    static ScheduledFuture<?> atFixedRate(ScheduledExecutorService scheduler, LongSupplier clock, long phase,
                                          long period, LongFunction<Runnable> sender) {
        Runnable task = sender.apply(clock.getAsLong() + phase);
        return scheduler.scheduleAtFixedRate(task, phase, period, TimeUnit.NANOSECONDS);
    }

    private QueueClient open(int i) throws JMSException {
        Connection c = null;
        try {
            c = factory.createConnection();
            Session consumerSession = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = consumerSession.createQueue("scale.q." + i);
            consumerSession.createConsumer(queue).setMessageListener(this::onMessage);
            Session producerSession = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = producerSession.createProducer(queue);
            producer.setDeliveryMode(deliveryMode);
            c.start();
            return new QueueClient(c, producerSession, producer);
        } catch (JMSException | RuntimeException e) {
            if (c != null) {
                c.close();
            }
            throw e;
        }
    }

    private void onMessage(Message message) {
        try {
            long now = System.nanoTime();
            latency.recordValue(Math.max(0, now - message.getLongProperty(SENT_AT)));
            received.increment();
        } catch (JMSException | RuntimeException e) {
            failure.compareAndSet(null, "a listener failed: " + e);
        }
    }

    /** Sends one message per run of the task, stamped with the time the schedule meant it to go. */
    private Runnable sender(QueueClient client, long first, long period) {
        return new Runnable() {
            private long n;

            @Override
            public void run() {
                long intended = first + n++ * period;
                try {
                    BytesMessage m = client.producerSession().createBytesMessage();
                    m.writeBytes(body);
                    m.setLongProperty(SENT_AT, intended);
                    client.producer().send(m);
                    sent.increment();
                } catch (JMSException | RuntimeException e) {
                    // a task that throws is never run again: note the failure and keep the schedule
                    failure.compareAndSet(null, "a send failed: " + e);
                }
            }
        };
    }

    /** Waits until every message sent arrived (at most {@link #DRAIN}); returns how many did not. */
    private long drain() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (received.sum() < sent.sum() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return Math.max(0, sent.sum() - received.sum());
    }

    private static String provider(AtomicReferenceArray<QueueClient> clients) {
        QueueClient first = clients.length() == 0 ? null : clients.get(0);
        if (first == null) {
            return "unknown";
        }
        try {
            return first.connection().getMetaData().getJMSProviderName() + " "
                    + first.connection().getMetaData().getProviderVersion();
        } catch (JMSException e) {
            return "unknown";
        }
    }

    private static double micros(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }
}
