package io.tunnelmq.bench.load;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs one load: starts the consumers, then the producers, warms up, measures, and prints progress once a second.
 * Time mode measures a fixed window after the warm-up; count mode measures from the first send until every message
 * has arrived.
 */
public final class LoadRun {
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long READY_TIMEOUT_MILLIS = 30_000;
    private static final long JOIN_MILLIS = 5_000;
    /** A drain ends once nothing has arrived for this long. */
    private static final long DRAIN_QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LoadOptions options;
    private final PrintStream progress;

    /**
     * @param options  the run
     * @param progress where the once-a-second progress lines go
     */
    public LoadRun(LoadOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public LoadResult run() throws InterruptedException {
        try (JndiObjects jndi = JndiObjects.open(options.jndiFile())) {
            ConnectionFactory factory = jndi.factory(options.factoryName());
            Destination destination = jndi.destination(options.destinationName());
            Destination replyQueue = options.requestReply() && options.fixedReplyQueue()
                    ? jndi.destination(options.replyQueueName()) : null;
            String provider = providerName(factory);
            RunContext run = new RunContext(options, factory, destination, replyQueue);
            return measure(run, provider);
        }
    }

    private LoadResult measure(RunContext run, String provider) throws InterruptedException {
        List<Thread> consumers = new ArrayList<>();
        for (int i = 0; i < options.consumers(); i++) {
            consumers.add(start(options.requestReply() ? new ResponderWorker(run, i) : new ConsumerWorker(run, i)));
        }
        List<Thread> producers = new ArrayList<>();
        for (int i = 0; i < options.producers(); i++) {
            producers.add(start(options.requestReply() ? new RequesterWorker(run, i) : new ProducerWorker(run, i)));
        }
        if (!run.awaitConsumers(READY_TIMEOUT_MILLIS) && !run.failed()) {
            run.fail("setup", new IllegalStateException("the consumers were not subscribed within "
                    + READY_TIMEOUT_MILLIS + " ms"));
        }
        Window window = run.failed() ? null : options.countMode() ? countWindow(run) : timeWindow(run);
        run.stopProducing();
        // the consumers go on until the producers have stopped: a producer whose send waits for the broker's
        // window (or a requester for its reply) finishes it instead of waiting for a consumer that is gone
        if (options.drain() && window != null && !run.failed()) {
            drain(run.meter, producers);
        } else {
            join(producers);
        }
        run.stopConsuming();
        join(consumers);
        if (window == null || run.failed()) {
            return new LoadResult(options.label(), provider, options.shape(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    run.failure() == null ? "the run did not complete" : run.failure());
        }
        return window.result(provider);
    }

    private Window timeWindow(RunContext run) throws InterruptedException {
        Meter meter = run.meter;
        Histogram total = new Histogram(3);
        long t0 = System.nanoTime();
        long warmEnd = t0 + options.warmup().toNanos();
        long end = warmEnd + options.duration().toNanos();
        run.start();
        Point start = null;
        long[] cpuAtStart = null;
        Point last = new Point(t0, 0, 0);
        long nextTick = t0 + TICK_NANOS;
        while (!run.failed()) {
            sleepUntil(Math.min(nextTick, start == null ? warmEnd : end));
            long now = System.nanoTime();
            Histogram interval = meter.interval();
            if (start != null) {
                total.add(interval);
            }
            Point point = new Point(now, meter.sentCount(), meter.receivedCount());
            if (start == null && now >= warmEnd) {
                start = point;
                cpuAtStart = cpuNow();
            } else if (start != null && now >= end) {
                return new Window(start, point, total, cpuAtStart, cpuNow());
            }
            if (now >= nextTick) {
                report(start == null ? "warm-up" : "measure", (now - t0) / TICK_NANOS, last, point, interval);
                last = point;
                nextTick += TICK_NANOS;
            }
        }
        return null;
    }

    private Window countWindow(RunContext run) throws InterruptedException {
        Meter meter = run.meter;
        Histogram total = new Histogram(3);
        long t0 = System.nanoTime();
        long deadline = t0 + options.timeout().toNanos();
        Point start = new Point(t0, 0, 0);
        long[] cpuAtStart = cpuNow();
        run.start();
        Point last = start;
        long nextTick = t0 + TICK_NANOS;
        while (!run.failed()) {
            long now = System.nanoTime();
            if (meter.receivedCount() >= options.expectedReceives()) {
                total.add(meter.interval());
                return new Window(start, new Point(now, meter.sentCount(), meter.receivedCount()), total, cpuAtStart,
                        cpuNow());
            }
            if (now > deadline) {
                run.fail("run", new IllegalStateException("only " + meter.receivedCount() + " of "
                        + options.expectedReceives() + " messages arrived within " + options.timeout().toSeconds()
                        + " s"));
                return null;
            }
            if (now >= nextTick) {
                Histogram interval = meter.interval();
                total.add(interval);
                Point point = new Point(now, meter.sentCount(), meter.receivedCount());
                report("count", (now - t0) / TICK_NANOS, last, point, interval);
                last = point;
                nextTick += TICK_NANOS;
            }
            Thread.sleep(1);
        }
        return null;
    }

    /**
     * Once the producers have stopped, the consumers keep receiving until nothing has arrived for a second, or the
     * timeout: no backlog is left.
     */
    private void drain(Meter meter, List<Thread> producers) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + options.timeout().toNanos();
        long atStart = meter.receivedCount();
        join(producers);
        long last = meter.receivedCount();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - deadline < 0) {
            Thread.sleep(100);
            long now = System.nanoTime();
            long received = meter.receivedCount();
            if (received != last) {
                last = received;
                quietSince = now;
            } else if (now - quietSince >= DRAIN_QUIET_NANOS) {
                progress.printf(Locale.ROOT, "[%s] drained %,d messages in %.1f s after the measured window%n",
                        options.label(), received - atStart, (quietSince - t0) / 1e9);
                return;
            }
        }
        progress.printf(Locale.ROOT, "[%s] still receiving after the %d s timeout of the drain: a backlog is left%n",
                options.label(), options.timeout().toSeconds());
    }

    private void report(String phase, long second, Point last, Point now, Histogram interval) {
        double secs = (now.nanos - last.nanos) / 1e9;
        progress.printf(Locale.ROOT, "[%s] %-7s %3ds  sent %,10.0f/s  received %,10.0f/s  latency p50 %s p99 %s%n",
                options.label(), phase, second, (now.sent - last.sent) / secs, (now.received - last.received) / secs,
                millis(interval, 50), millis(interval, 99));
        progress.flush();
    }

    private static String millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.3f ms",
                h.getValueAtPercentile(percentile) / 1e6);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private Thread start(Worker worker) {
        Thread t = new Thread(worker, "bench-" + worker.name());
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for workers to finish; a worker stuck in a provider call is left behind (it is a daemon). */
    private void join(List<Thread> threads) throws InterruptedException {
        long deadline = System.currentTimeMillis() + JOIN_MILLIS;
        for (Thread t : threads) {
            t.join(Math.max(1, deadline - System.currentTimeMillis()));
            if (t.isAlive()) {
                progress.println("[" + options.label() + "] " + t.getName() + " did not stop within "
                        + JOIN_MILLIS + " ms; leaving it");
            }
        }
    }

    /** "name version" from the provider's metadata: tells the result rows of different providers apart. */
    static String providerName(ConnectionFactory factory) {
        try (Connection c = factory.createConnection()) {
            ConnectionMetaData meta = c.getMetaData();
            return meta.getJMSProviderName() + " " + meta.getProviderVersion();
        } catch (JMSException e) {
            throw new IllegalStateException("cannot connect with the JNDI connection factory: " + e, e);
        }
    }

    private record Point(long nanos, long sent, long received) {
    }

    /** CPU ticks so far of this JVM and of the process {@code --cpu-of} names (-1: none, or not Linux). */
    private long[] cpuNow() {
        return new long[] {CpuTicks.process(ProcessHandle.current().pid()),
                options.cpuOf() > 0 ? CpuTicks.process(options.cpuOf()) : -1};
    }

    /** Microseconds of CPU per message between two readings of {@link #cpuNow}; NaN when not known. */
    private static double cpuMicros(long before, long after, long received) {
        return before < 0 || after < 0 || received <= 0 ? Double.NaN
                : (after - before) * 1e6 / CpuTicks.PER_SECOND / received;
    }

    private final class Window {
        private final Point start;
        private final Point end;
        private final Histogram latency;
        private final long[] cpuAtStart;
        private final long[] cpuAtEnd;

        Window(Point start, Point end, Histogram latency, long[] cpuAtStart, long[] cpuAtEnd) {
            this.start = start;
            this.end = end;
            this.latency = latency;
            this.cpuAtStart = cpuAtStart;
            this.cpuAtEnd = cpuAtEnd;
        }

        LoadResult result(String provider) {
            double secs = (end.nanos - start.nanos) / 1e9;
            long sent = end.sent - start.sent;
            long received = end.received - start.received;
            boolean any = latency.getTotalCount() > 0;
            String error = received > 0 ? null : "no message arrived in the measured " + String.format(Locale.ROOT,
                    "%.1f", secs) + " s (" + sent + " sent): a held producer (full broker?) or a stuck consumer";
            return new LoadResult(options.label(), provider, options.shape(), secs, sent, received, sent / secs,
                    received / secs, latency.getTotalCount(),
                    any ? latency.getValueAtPercentile(50) / 1e3 : 0, any ? latency.getValueAtPercentile(95) / 1e3 : 0,
                    any ? latency.getValueAtPercentile(99) / 1e3 : 0,
                    any ? latency.getValueAtPercentile(99.9) / 1e3 : 0, any ? latency.getMaxValue() / 1e3 : 0, error,
                    cpuMicros(cpuAtStart[0], cpuAtEnd[0], received), cpuMicros(cpuAtStart[1], cpuAtEnd[1], received));
        }
    }
}
