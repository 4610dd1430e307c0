package io.tunnelmq.jms.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on the threads of a shared pool: a session's callbacks keep the
 * JMS rule of one thread at a time, while a session with nothing to run holds no thread (1,000 sessions with
 * listeners need as many threads as run callbacks at the same moment, not 1,000, and waking an idle one starts no
 * thread). After {@link #shutdown} the queued tasks still run and new ones are refused.
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    // guarded by this
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;
    private boolean shutdown;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    /** @throws RejectedExecutionException once shut down */
    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (shutdown) {
                throw new RejectedExecutionException("the executor is shut down");
            }
            tasks.add(task);
            if (running) {
                return; // the worker on its way runs it after those before it
            }
            running = true;
        }
        pool.execute(this::drain);
    }

    /** Refuses new tasks; those queued still run. */
    synchronized void shutdown() {
        shutdown = true;
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (this) {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("a callback task failed", e); // the next ones still run, in order
            }
        }
    }
}
