package io.tunnelmq.jms.client;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Serial executors on daemon threads that end when idle, so neither a forgotten close nor main's return hangs. */
final class DaemonExecutors {
    private static final long IDLE_SECONDS = 5;

    private DaemonExecutors() {
    }

    /**
     * An executor that runs tasks one at a time in submission order on at most one daemon thread, which ends
     * after a few idle seconds and is started again on demand.
     */
    static ThreadPoolExecutor serial(String threadName) {
        // core 0 + unbounded queue: the pool never grows beyond one worker, so tasks run strictly in order
        return new ThreadPoolExecutor(0, 1, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }
}
