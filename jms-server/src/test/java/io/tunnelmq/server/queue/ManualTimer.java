package io.tunnelmq.server.queue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A clock and timer that move only when the test says so. */
final class ManualTimer implements QueueTimer {
    private final List<Task> tasks = new ArrayList<>();
    private long now = 1_000_000;
    private long order;

    private static final class Task {
        final long due;
        final long order;
        final Runnable runnable;
        boolean cancelled;

        Task(long due, long order, Runnable runnable) {
            this.due = due;
            this.order = order;
            this.runnable = runnable;
        }
    }

    @Override
    public synchronized long now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayMillis) {
        Task t = new Task(now + delayMillis, order++, task);
        tasks.add(t);
        return () -> {
            synchronized (this) {
                t.cancelled = true;
            }
        };
    }

    /** Moves the clock and runs every task that fell due, in due order. */
    void advance(long millis) {
        long target;
        synchronized (this) {
            target = now + millis;
        }
        while (true) {
            Task next;
            synchronized (this) {
                tasks.removeIf(t -> t.cancelled);
                next = tasks.stream().filter(t -> t.due <= target)
                        .min(Comparator.<Task>comparingLong(t -> t.due).thenComparingLong(t -> t.order)).orElse(null);
                if (next == null) {
                    now = target;
                    return;
                }
                tasks.remove(next);
                now = Math.max(now, next.due);
            }
            next.runnable.run();
        }
    }

    /** Moves the clock without running any task (a timer running late). */
    synchronized void moveClockOnly(long millis) {
        now += millis;
    }

    synchronized int pendingTasks() {
        tasks.removeIf(t -> t.cancelled);
        return tasks.size();
    }
}
