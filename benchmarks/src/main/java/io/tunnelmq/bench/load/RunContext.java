package io.tunnelmq.bench.load;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** What the workers of one run share: the JMS objects, the meter, and the run's phase flags. */
final class RunContext {
    final LoadOptions options;
    final ConnectionFactory factory;
    final Destination destination;
    /** The fixed reply queue, or null (temporary queues). */
    final Destination replyQueue;
    final Meter meter = new Meter();

    private final CountDownLatch consumersReady;
    private final CountDownLatch start = new CountDownLatch(1);
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean producing = true;
    private volatile boolean consuming = true;

    RunContext(LoadOptions options, ConnectionFactory factory, Destination destination, Destination replyQueue) {
        this.options = options;
        this.factory = factory;
        this.destination = destination;
        this.replyQueue = replyQueue;
        this.consumersReady = new CountDownLatch(options.consumers());
    }

    void consumerReady() {
        consumersReady.countDown();
    }

    /** Waits until every consumer is subscribed (so topic subscribers miss nothing); false on timeout/failure. */
    boolean awaitConsumers(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!consumersReady.await(100, TimeUnit.MILLISECONDS)) {
            if (failed() || System.nanoTime() > deadline) {
                return false;
            }
        }
        return true;
    }

    /** Lets producers go. */
    void start() {
        start.countDown();
    }

    void awaitStart() throws InterruptedException {
        start.await();
    }

    boolean producing() {
        return producing && failure.get() == null;
    }

    boolean consuming() {
        return consuming && failure.get() == null;
    }

    void stopProducing() {
        producing = false;
        start.countDown();
    }

    void stopConsuming() {
        consuming = false;
    }

    /** Records the first failure; the run ends and reports it. */
    void fail(String worker, Throwable e) {
        failure.compareAndSet(null, worker + ": " + e);
    }

    boolean failed() {
        return failure.get() != null;
    }

    String failure() {
        return failure.get();
    }

    /** Messages producer {@code index} (0-based) sends in count mode; unlimited in time mode. */
    long quota(int index) {
        if (!options.countMode()) {
            return Long.MAX_VALUE;
        }
        long each = options.messages() / options.producers();
        return each + (index < options.messages() % options.producers() ? 1 : 0);
    }
}
