package io.tunnelmq.server.store;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The stores' executors' threads: daemons named after their job, and how an executor of theirs stops. */
public final class StoreThreads {
    private StoreThreads() {
    }

    /** Daemon threads named {@code name}, then {@code name-1}, {@code name-2}... */
    public static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, count.getAndIncrement() == 0 ? name : name + "-" + count.get());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops {@code executor} after the work it took, waiting up to {@code waitMillis} before interrupting it. */
    public static void shutdown(ExecutorService executor, long waitMillis) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
