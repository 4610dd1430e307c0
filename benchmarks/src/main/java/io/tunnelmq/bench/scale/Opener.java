package io.tunnelmq.bench.scale;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Opens {@code n} things (connections with their sessions and consumers) from a pool of threads, as a fleet of
 * clients starting together would, and stops at the first failure: a broker that falls over at N connections is a
 * figure, not a reason to hammer it with the rest.
 */
final class Opener {
    private Opener() {
    }

    /** Opens connection number {@code i}. */
    @FunctionalInterface
    interface Task<T> {
        T open(int i) throws Exception;
    }

    /** Closes one thing opened before. */
    @FunctionalInterface
    interface Closer<T> {
        void close(T t) throws Exception;
    }

    /** Opens {@code into.length()} things with {@code threads} threads into {@code into}; says how it went. */
    static <T> OpenReport open(AtomicReferenceArray<T> into, int threads, Task<T> task) throws InterruptedException {
        int n = into.length();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        AtomicReference<String> error = new AtomicReference<>();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, n)));
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                for (int i = next.getAndIncrement(); i < n && error.get() == null; i = next.getAndIncrement()) {
                    try {
                        into.set(i, task.open(i));
                        int done = opened.incrementAndGet();
                        if (done % Math.max(1, n / 10) == 0) {
                            System.out.println("opened " + done + " of " + n);
                        }
                    } catch (Exception | Error e) {
                        error.compareAndSet(null, "connection #" + i + " (after " + opened.get() + " opened): " + e);
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.DAYS);
        return new OpenReport(n, opened.get(), (System.nanoTime() - t0) / 1e9, error.get());
    }

    /** Closes every non-null element of {@code opened} with {@code threads} threads; returns the failures. */
    static <T> int closeAll(AtomicReferenceArray<T> opened, int threads, Closer<T> closer)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                for (int i = next.getAndIncrement(); i < opened.length(); i = next.getAndIncrement()) {
                    T t1 = opened.get(i);
                    if (t1 == null) {
                        continue;
                    }
                    try {
                        closer.close(t1);
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        return failures.get();
    }
}
