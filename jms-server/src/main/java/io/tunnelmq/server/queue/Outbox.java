package io.tunnelmq.server.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Work a queue decides on under its lock but runs after releasing it (handing deliveries to consumers,
 * routing dead letters). Tasks are added under the lock, so they are in lock order; only one thread drains at
 * a time, so they also run in that order — a consumer never sees deliveries overtake each other even when
 * several threads dispatch from the same queue.
 */
final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    void add(Runnable task) {
        tasks.add(task);
    }

    /** Runs the waiting tasks unless another thread is already doing so (it will pick up ours too). */
    void drain() {
        while (!tasks.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        log.error("a queue hand-off task failed; the queue carries on", e);
                    }
                }
            } finally {
                draining.set(false);
            }
        }
    }
}
