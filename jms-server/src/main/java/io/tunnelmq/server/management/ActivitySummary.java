package io.tunnelmq.server.management;

import io.tunnelmq.server.queue.QueueFigures;
import io.tunnelmq.server.session.BrokerCounters;
import io.tunnelmq.server.store.StoreFigures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The broker's one-line summary at INFO, once a minute: what is open, what is held, and what happened since the last
 * line — so a log shows the broker's life without a line per connection or message (those are DEBUG). An operator
 * who wants it quieter sets this class's logger ({@code io.tunnelmq.server.management.ActivitySummary}) to WARN.
 * The line is made from {@link Management}'s figures; it costs one visit of every queue per minute. While the broker
 * has problems an operator must fix, a WARN line lists them each minute too.
 */
public final class ActivitySummary implements AutoCloseable {
    static final long INTERVAL_MILLIS = 60_000;
    private static final Logger log = LoggerFactory.getLogger(ActivitySummary.class);

    private final Management management;
    private final LongSupplier clock;
    private Sample last;
    private ScheduledExecutorService scheduler;

    /** What the counts were at one line, to tell the next line's differences. */
    private record Sample(long atMillis, long opened, long disconnected, long lost, long enqueued, long completed,
                          long stalls, long authFailures, long denials, long overdue) {
    }

    ActivitySummary(Management management, LongSupplier clock) {
        this.management = management;
        this.clock = clock;
        this.last = sample(sums());
    }

    /** Starts logging the summary every minute on a daemon thread of its own; {@link #close()} stops it. */
    public static ActivitySummary start(Management management) {
        ActivitySummary summary = new ActivitySummary(management, System::currentTimeMillis);
        summary.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tunnelmq-summary");
            thread.setDaemon(true);
            return thread;
        });
        summary.scheduler.scheduleAtFixedRate(summary::log, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        return summary;
    }

    private void log() {
        try {
            if (log.isInfoEnabled()) {
                log.info(line());
            }
            String problems = problemsLine();
            if (problems != null) {
                log.warn(problems);
            }
        } catch (RuntimeException e) {
            log.warn("could not make the broker's summary line", e); // the next minute tries again
        }
    }

    /**
     * The broker's problems ({@link BrokerProblems}) in one line, or null when there is none: said again every minute
     * while they last, so an operator who reads only the log learns of them whatever line they first came in.
     */
    String problemsLine() {
        List<String> problems = management.problems().now();
        if (problems.isEmpty()) {
            return null;
        }
        StringBuilder line = new StringBuilder("to fix (the broker runs on meanwhile): ");
        for (int i = 0; i < problems.size(); i++) {
            line.append(i == 0 ? "" : "; ").append(i + 1).append(") ").append(problems.get(i));
        }
        return line.toString();
    }

    /** The summary of the time since the last line (or since this was made), and the start of the next interval. */
    String line() {
        long[] sums = sums();
        Sample now = sample(sums);
        double seconds = Math.max(1, now.atMillis - last.atMillis) / 1000.0;
        StoreFigures store = management.storeFigures();
        String text = String.format(Locale.ROOT, "last %.0f s: %d connection(s) open (%d opened, %d disconnected,"
                        + " %d lost), %d session(s); %d queue(s) and subscription(s) holding %d message(s) (%d locked, %d scheduled);"
                        + " %.0f msg/s in, %.0f msg/s completed; memory %s of %s%s; %d send-window stall(s),"
                        + " %d authentication failure(s), %d access denial(s)",
                seconds, management.connections(), now.opened - last.opened,
                now.disconnected - last.disconnected, now.lost - last.lost, management.sessions(), sums[2], sums[3],
                sums[4], sums[5], (now.enqueued - last.enqueued) / seconds, (now.completed - last.completed) / seconds,
                bytes(management.memoryUsed()), bytes(management.memoryLimit()),
                store.persistent() ? "; journal " + bytes(store.diskBytes()) : "",
                now.stalls - last.stalls, now.authFailures - last.authFailures, now.denials - last.denials);
        long overdue = now.overdue - last.overdue;
        if (overdue > 0) { // only under a login storm the login threads cannot keep up with
            text += ", " + overdue + " login(s) not checked in time";
        }
        last = now;
        return text;
    }

    /** enqueued, completed, queues, held, locked, scheduled over every queue and subscription. */
    private long[] sums() {
        long[] sums = new long[6];
        for (Map.Entry<QueueSeries.Key, QueueFigures> e : management.queueSeries().entrySet()) {
            QueueFigures f = e.getValue();
            sums[0] += f.totals().enqueued();
            sums[1] += f.totals().completed();
            sums[2]++;
            sums[3] += f.stats().depth();
            sums[4] += f.stats().locked();
            sums[5] += f.stats().scheduled();
        }
        return sums;
    }

    private Sample sample(long[] sums) {
        BrokerCounters c = management.counters();
        return new Sample(clock.getAsLong(), c.connectionsOpened(), c.connectionsDisconnected(), c.connectionsLost(),
                sums[0], sums[1], c.sendWindowStalls(), c.authFailures(), c.accessDenials(), c.loginsOverdue());
    }

    static String bytes(long n) {
        if (n < 1024 * 1024) {
            return (n / 1024) + " KiB";
        }
        if (n < 1024L * 1024 * 1024) {
            return (n / (1024 * 1024)) + " MiB";
        }
        return String.format(Locale.ROOT, "%.1f GiB", n / (1024.0 * 1024 * 1024));
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
