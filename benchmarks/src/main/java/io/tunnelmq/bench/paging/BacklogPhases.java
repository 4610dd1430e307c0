package io.tunnelmq.bench.paging;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The phases of a paging scenario. Every message carries the int property {@value #PRODUCER} and the long property
 * {@value #SEQ} (0, 1, 2, ... per producer), so one consumer can check that each producer's messages arrive in the
 * order sent, none lost and none twice.
 */
final class BacklogPhases {
    static final String PRODUCER = "producer";
    static final String SEQ = "seq";
    /** A run of failed sends this long ends a fill: the broker is not coming back. */
    private static final int FAILURES_IN_A_ROW = 100;
    private static final long PROGRESS_NANOS = 5_000_000_000L;

    private final BacklogOptions options;
    private final ConnectionFactory factory;
    private final Destination queue;
    private final PrintStream progress;
    /** Why the first send failed: a broker that refuses a message says why (disk limit, time-out). */
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    BacklogPhases(BacklogOptions options, ConnectionFactory factory, Destination queue, PrintStream progress) {
        this.options = options;
        this.factory = factory;
        this.queue = queue;
        this.progress = progress;
    }

    /** Sends {@code messages} over {@code producers} connections with no consumer. */
    BacklogResult fill() throws InterruptedException {
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> error = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int p = 0; p < options.producers(); p++) {
            long share = options.messages() / options.producers() + (p < options.messages() % options.producers() ? 1 : 0);
            int producer = p;
            Thread t = new Thread(() -> send(producer, share, sent, failed, error, () -> true), "fill-" + p);
            t.setDaemon(true); // a producer held for good must not keep the JVM alive
            t.start();
            threads.add(t);
        }
        Progress watch = new Progress("fill", t0);
        long lastSent = 0;
        long lastProgress = System.nanoTime();
        for (Thread t : threads) {
            while (t.isAlive()) {
                t.join(1000);
                watch.maybePrint(sent.get(), 0);
                long now = System.nanoTime();
                if (sent.get() != lastSent) {
                    lastSent = sent.get();
                    lastProgress = now;
                } else if (now - lastProgress > options.idle().toNanos()) {
                    // held producers: a broker out of memory or disk, or one that stopped answering
                    double seconds = (lastProgress - t0) / 1e9;
                    return new BacklogResult("fill", seconds, sent.get(), failed.get(), 0, 0, sent.get(),
                            "no send completed for " + options.idle().toSeconds() + " s after " + sent.get() + " of "
                                    + options.messages() + ": the producers are held (broker memory or disk limit?)"
                                    + failures());
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String why = error.get() != null ? error.get() + failures()
                : failed.get() > 0 ? failed.get() + " sends failed" + failures() : null;
        return new BacklogResult("fill", seconds, sent.get(), failed.get(), 0, 0, sent.get(), why);
    }

    /** One consumer receives {@code messages} and checks each producer's order. */
    BacklogResult drain() throws JMSException {
        Map<Integer, Long> last = new HashMap<>();
        long received = 0;
        long orderErrors = 0;
        String error = null;
        long t0 = System.nanoTime();
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            Progress watch = new Progress("drain", t0);
            while (received < options.messages()) {
                Message m = consumer.receive(options.idle().toMillis());
                if (m == null) {
                    error = "no message for " + options.idle().toSeconds() + " s after " + received + " of "
                            + options.messages();
                    break;
                }
                received++;
                Long previous = last.put(m.getIntProperty(PRODUCER), m.getLongProperty(SEQ));
                long expected = previous == null ? 0 : previous + 1;
                if (m.getLongProperty(SEQ) != expected) {
                    orderErrors++;
                }
                watch.maybePrint(0, received);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new BacklogResult("drain", seconds, 0, 0, received, orderErrors, options.messages() - received, error);
    }

    /**
     * With {@code messages} queued, one producer and one consumer at full speed together, until the consumer has
     * received as many as were queued at the start (the backlog has drained: the queue is first in, first out) or
     * {@code duration} has passed.
     */
    BacklogResult mixed() throws InterruptedException, JMSException {
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> error = new AtomicReference<>();
        AtomicBoolean producing = new AtomicBoolean(true);
        long t0 = System.nanoTime();
        long end = t0 + options.duration().toNanos();
        long received = 0;
        Thread producer;
        double seconds;
        long sentInPhase;
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            // a producer number of its own: the fill's producers are 0..n-1 on the same queue
            producer = new Thread(() -> send(Integer.MAX_VALUE, Long.MAX_VALUE, sent, failed, error, producing::get),
                    "mixed-producer");
            producer.start();
            Progress watch = new Progress("mixed", t0);
            while (System.nanoTime() < end && received < options.messages()) {
                if (consumer.receive(100) != null) {
                    received++;
                }
                watch.maybePrint(sent.get(), received);
            }
            seconds = (System.nanoTime() - t0) / 1e9;
            sentInPhase = sent.get();
            producing.set(false); // a send under way completes: no interrupt, no failed send that is not the broker's
        }
        producer.join(30_000);
        long left = options.messages() + sent.get() - received;
        String why = error.get() != null ? error.get() + failures()
                : failed.get() > 0 ? failed.get() + " sends failed" + failures() : null;
        return new BacklogResult("mixed", seconds, sentInPhase, failed.get(), received, 0, left, why);
    }

    private void send(int producer, long count, AtomicLong sent, AtomicLong failed, AtomicReference<String> error,
                      java.util.function.BooleanSupplier go) {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer out = session.createProducer(queue);
            out.setDeliveryMode(options.persistent() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
            byte[] body = new byte[options.size()];
            int inARow = 0;
            for (long seq = 0; seq < count && go.getAsBoolean(); ) {
                BytesMessage m = session.createBytesMessage();
                m.writeBytes(body);
                m.setIntProperty(PRODUCER, producer);
                m.setLongProperty(SEQ, seq);
                try {
                    out.send(m);
                    sent.incrementAndGet();
                    seq++;
                    inARow = 0;
                } catch (JMSException e) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, e.toString());
                    // the same seq again: a failed send is not a gap the consumer should see
                    if (++inARow >= FAILURES_IN_A_ROW) {
                        error.compareAndSet(null, FAILURES_IN_A_ROW + " sends in a row failed, the last with " + e);
                        return;
                    }
                }
            }
        } catch (JMSException | RuntimeException e) {
            error.compareAndSet(null, "producer " + producer + ": " + e);
        }
    }

    private String failures() {
        return firstFailure.get() == null ? "" : "; the first failed send: " + firstFailure.get();
    }

    /** A progress line every few seconds on standard error, so a long phase shows it is moving. */
    private final class Progress {
        private final String phase;
        private final long t0;
        private long next;

        Progress(String phase, long t0) {
            this.phase = phase;
            this.t0 = t0;
            this.next = t0 + PROGRESS_NANOS;
        }

        void maybePrint(long sent, long received) {
            long now = System.nanoTime();
            if (now >= next) {
                next += PROGRESS_NANOS;
                progress.printf(Locale.ROOT, "[backlog %s] %4.0fs sent %,d received %,d of %,d%n", phase,
                        (now - t0) / 1e9, sent, received, options.messages());
                progress.flush();
            }
        }
    }
}
