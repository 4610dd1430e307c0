package io.tunnelmq.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the workers of a run count: messages sent and received and latencies in nanoseconds. Workers write from
 * many threads; only the run's own thread reads (the recorder hands it one interval at a time).
 */
final class Meter {
    /** Message property holding the (intended) send time, System.nanoTime() of the load tool's JVM. */
    static final String SENT_AT_PROPERTY = "benchSentNanos";

    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final Recorder latency = new Recorder(3);
    private Histogram recycled;

    void sent() {
        sent.increment();
    }

    void received() {
        received.increment();
    }

    void latency(long nanos) {
        if (nanos >= 0) {
            latency.recordValue(nanos);
        }
    }

    long sentCount() {
        return sent.sum();
    }

    long receivedCount() {
        return received.sum();
    }

    /** The latencies recorded since the last call; the returned histogram is reused by the call after next. */
    Histogram interval() {
        Histogram h = latency.getIntervalHistogram(recycled);
        recycled = h;
        return h;
    }
}
