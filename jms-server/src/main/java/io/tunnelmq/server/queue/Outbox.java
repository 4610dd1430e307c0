package io.tunnelmq.server.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Work a queue decides on under its lock but runs after releasing it (handing deliveries to consumers,
 * routing dead letters). Tasks are added under the lock, so they are in lock order; only one thread drains at
 * a time, so they also run in that order — a consumer never sees deliveries overtake each other even when
 * several threads dispatch from the same queue.
 *
 * <p>What one hold of the lock adds is collected in a plain array and handed over as one batch when the lock is
 * released ({@link #seal}): one concurrent hand-over per hold, not per task, so a dispatch of many messages does
 * not contend, message by message, with a thread draining the batch before it.
 */
final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    private static final int BATCH = 16;

    private final Queue<Runnable[]> sealed = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    /** This hold's tasks, {@code open[0..count)}; guarded by the queue's lock. */
    private Runnable[] open = new Runnable[BATCH];
    private int count;
    /** Whether the caller holds the queue's lock, checked when assertions are on. */
    private BooleanSupplier locked = () -> true;

    /** The queue's lock guards what is added; adding without it is a bug, caught when assertions are on. */
    void guardedBy(BooleanSupplier heldByCaller) {
        this.locked = heldByCaller;
    }

    /** Under the queue's lock. */
    void add(Runnable task) {
        assert locked.getAsBoolean() : "outbox task added without the queue's lock";
        if (count == open.length) {
            open = Arrays.copyOf(open, count * 2);
        }
        open[count++] = task;
    }

    /** Under the queue's lock, as it is released: what this hold added becomes one batch for {@link #drain}. */
    void seal() {
        if (count == 0) {
            return;
        }
        sealed.add(Arrays.copyOf(open, count));
        if (open.length > BATCH * 64) {
            open = new Runnable[BATCH]; // a purge's burst does not stay
        } else {
            Arrays.fill(open, 0, count, null);
        }
        count = 0;
    }

    /** Runs the sealed tasks unless another thread is already doing so (it will pick up ours too). */
    void drain() {
        while (!sealed.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                for (Runnable[] batch; (batch = sealed.poll()) != null; ) {
                    for (Runnable task : batch) {
                        run(task);
                    }
                }
            } finally {
                draining.set(false);
            }
        }
    }

    /**
     * Runs one task; whatever it throws is logged and the batch goes on. An Error too (a stack overflow, a heap
     * that was full for a moment): the tasks after it are other messages' deliveries, which would otherwise stay
     * locked to consumers that never get them until their locks expire.
     */
    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            log.error("a queue hand-off task failed; the queue carries on", e);
        }
    }
}
