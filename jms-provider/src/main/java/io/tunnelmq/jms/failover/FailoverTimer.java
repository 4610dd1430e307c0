package io.tunnelmq.jms.failover;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that starts reconnect attempts for every failover connection of the JVM: an attempt only starts a
 * non-blocking connect (its answer arrives on the engine's event loop), so one thread serves them all; a daemon, so a
 * program that returns from main exits; created on first use, so a JVM that never loses a broker has none.
 */
final class FailoverTimer {
    private FailoverTimer() {
    }

    private static final class Holder {
        static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "tunnelmq-reconnect");
            t.setDaemon(true);
            return t;
        });
    }

    static ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        return Holder.TIMER.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }
}
