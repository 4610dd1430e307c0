package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.paging.JournalFigures;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TunnelMQ's journal during a phase: its bytes written ({@code tunnelmq_journal_written_bytes}) and its size on disk
 * ({@code tunnelmq_disk_used_bytes}, sampled every 2 s), and what compaction copied, from the broker's log — there is
 * no metric of compaction's bytes. Shows whether compaction rewrites the backlog every cycle.
 */
final class JournalWatch {
    private static final Pattern METRICS_AT = Pattern.compile("Metrics at (http://\\S+/metrics)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final long t0 = System.nanoTime();
    private final double writtenAtStart;
    private final JournalFigures.Compactions compactionsAtStart;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "journal-watch");
        t.setDaemon(true);
        return t;
    });
    private final ChildJvm broker;
    private double diskMin = Double.MAX_VALUE; // guarded by this
    private double diskMax; // guarded by this

    private JournalWatch(ChildJvm broker) throws IOException {
        this.broker = broker;
        String metrics = scrape(broker);
        writtenAtStart = JournalFigures.metric(metrics, "tunnelmq_journal_written_bytes").orElse(0);
        compactionsAtStart = JournalFigures.compactions(broker.logText());
    }

    static JournalWatch start(ChildJvm broker) throws IOException {
        JournalWatch watch = new JournalWatch(broker);
        watch.timer.scheduleAtFixedRate(watch::sample, 0, 2, TimeUnit.SECONDS);
        return watch;
    }

    private void sample() {
        OptionalDouble disk = JournalFigures.metric(scrape(broker), "tunnelmq_disk_used_bytes");
        if (disk.isPresent()) {
            synchronized (this) {
                diskMin = Math.min(diskMin, disk.getAsDouble());
                diskMax = Math.max(diskMax, disk.getAsDouble());
            }
        }
    }

    Summary stop(ChildJvm broker) throws IOException, InterruptedException {
        timer.shutdown();
        timer.awaitTermination(10, TimeUnit.SECONDS);
        sample();
        double seconds = (System.nanoTime() - t0) / 1e9;
        String metrics = scrape(broker);
        double written = JournalFigures.metric(metrics, "tunnelmq_journal_written_bytes").orElse(Double.NaN)
                - writtenAtStart;
        double diskEnd = JournalFigures.metric(metrics, "tunnelmq_disk_used_bytes").orElse(Double.NaN);
        JournalFigures.Compactions compactions = JournalFigures.compactions(broker.logText()).minus(compactionsAtStart);
        synchronized (this) {
            return new Summary(seconds, written, compactions, diskMin == Double.MAX_VALUE ? Double.NaN : diskMin,
                    diskMax, diskEnd);
        }
    }

    /** The broker's Prometheus text, at the URL its log names; empty when it cannot be had. */
    static String scrape(ChildJvm broker) {
        try {
            Matcher m = METRICS_AT.matcher(broker.logText());
            if (!m.find()) {
                return "";
            }
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(m.group(1)))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** What the journal did over a phase. */
    record Summary(double seconds, double writtenBytes, JournalFigures.Compactions compactions, double diskMin,
                   double diskMax, double diskEnd) {
        String describe() {
            double mib = PagingComparison.MIB;
            return String.format(Locale.ROOT, "over %.0f s it wrote %.1f MiB (%.1f MiB/s); %d compactions copied %d "
                            + "records, %.1f MiB (%.2f MiB/s of the run; summed from the broker's log: there is no "
                            + "compaction-bytes counter); journal on disk %.0f MiB min, %.0f MiB max, %.0f MiB at the end",
                    seconds, writtenBytes / mib, writtenBytes / mib / seconds, compactions.count(),
                    compactions.records(), compactions.bytes() / mib, compactions.bytes() / mib / seconds,
                    diskMin / mib, diskMax / mib, diskEnd / mib);
        }
    }
}
