package io.tunnelmq.bench.paging;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples a process's {@code VmRSS} at a fixed interval and keeps the peak, beside the kernel's own {@code VmHWM}:
 * the high-water mark covers the whole life of the process (start-up included), the samples only the phases watched.
 */
public final class RssSampler implements AutoCloseable {
    private final long pid;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rss-sampler");
        t.setDaemon(true);
        return t;
    });
    private long peakRss; // guarded by this
    private long hwm; // guarded by this

    private RssSampler(long pid) {
        this.pid = pid;
    }

    public static RssSampler start(long pid, Duration every) {
        RssSampler sampler = new RssSampler(pid);
        sampler.timer.scheduleAtFixedRate(sampler::sample, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return sampler;
    }

    private synchronized void sample() {
        String status = ProcessMemory.status(pid);
        peakRss = Math.max(peakRss, ProcessMemory.field(status, "VmRSS").orElse(0));
        hwm = Math.max(hwm, ProcessMemory.field(status, "VmHWM").orElse(0));
    }

    /** The highest VmRSS sampled, in bytes (0 when none could be read). */
    public synchronized long peakRss() {
        return peakRss;
    }

    /** The last VmHWM read, in bytes: the process's peak over its whole life (0 when none could be read). */
    public synchronized long highWaterMark() {
        sample();
        return hwm;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
