package io.tunnelmq.jms.client;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Serial executors on daemon threads that end when idle, so neither a forgotten close nor main's return hangs. */
final class DaemonExecutors {
    private static final long IDLE_SECONDS = 5;
    private static final AtomicInteger SESSION_THREADS = new AtomicInteger();
    /** The sessions' callbacks (listeners, completion listeners) of every connection: a thread per callback running. */
    private static final ThreadPoolExecutor SESSIONS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS,
            TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "tunnelmq-session-" + SESSION_THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    private DaemonExecutors() {
    }

    /** A session's serial executor, on the shared session threads. */
    static SerialExecutor session() {
        return new SerialExecutor(SESSIONS);
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
