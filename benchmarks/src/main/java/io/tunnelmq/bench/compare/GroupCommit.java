package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.load.LoadResult;
import io.tunnelmq.bench.paging.JournalFigures;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * How close a broker's group commit gets to the disk's fsync limit (issue 19, {@code persistent-4}): the disk is
 * probed next to the journal before the run ({@link FsyncProbe}, while the broker idles), and the run's send rate is
 * set against it. TunnelMQ's {@code /metrics} also count its journal's fsyncs and the messages enqueued over the run,
 * so the note says how many messages share one fsync; this module's Artemis has no such endpoint.
 */
final class GroupCommit {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final FsyncProbe.Result probe;
    private final URI metrics;
    private final Journal atStart;

    private GroupCommit(FsyncProbe.Result probe, URI metrics, Journal atStart) {
        this.probe = probe;
        this.metrics = metrics;
        this.atStart = atStart;
    }

    /**
     * Probes the disk under {@code journalDir} and reads the broker's journal counters when it serves them on
     * {@code httpPort} (0: it does not).
     *
     * @throws IllegalStateException when the probe cannot write its file
     */
    static GroupCommit start(Path journalDir, int httpPort) {
        FsyncProbe.Result probe;
        try {
            probe = FsyncProbe.probe(journalDir, FsyncProbe.DEFAULT_TIME);
        } catch (IOException e) {
            // the run fails with the reason, the comparison goes on
            throw new IllegalStateException("the fsync probe in " + journalDir + " failed: " + e, e);
        }
        URI metrics = httpPort == 0 ? null : URI.create("http://127.0.0.1:" + httpPort + "/metrics");
        return new GroupCommit(probe, metrics, metrics == null ? null : read(metrics));
    }

    /** The note of a run: its send rate against the probed fsync rate, and messages per fsync where counted. */
    String finish(BrokerKind kind, LoadResult result) {
        if (metrics == null) {
            return describe(kind, result, probe, null);
        }
        Journal atEnd = read(metrics);
        if (atStart == null || atEnd == null) {
            return describe(kind, result, probe, null) + "; its /metrics at " + metrics + " could not be read, so "
                    + "its journal's fsyncs are not counted";
        }
        return describe(kind, result, probe, atEnd.minus(atStart));
    }

    static String describe(BrokerKind kind, LoadResult result, FsyncProbe.Result probe, Journal delta) {
        StringBuilder note = new StringBuilder(kind.title).append(' ').append(probe.describe());
        if (result.ok() && result.sent() > 0) {
            note.append(String.format(Locale.ROOT, "; group commit reaches %,.0f msg/s = %.2f× the disk's fsync rate",
                    result.sentPerSecond(), result.sentPerSecond() / probe.perSecond()));
        }
        if (delta != null && delta.fsyncs() > 0) {
            note.append(String.format(Locale.ROOT, "; its journal made %,.0f fsyncs for %,.0f messages over the run "
                            + "(warm-up included): %.1f messages per fsync, %.3f ms per fsync", delta.fsyncs(),
                    delta.enqueued(), delta.enqueued() / delta.fsyncs(), delta.fsyncSeconds() * 1e3 / delta.fsyncs()));
        } else if (delta != null) {
            note.append("; its /metrics counted no journal fsync (no journal?)");
        }
        return note.toString();
    }

    /** The journal's counters, or null when the broker does not answer: the note then says so, the run goes on. */
    private static Journal read(URI uri) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Journal.parse(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A TunnelMQ broker's journal counters: fsyncs, their total time, messages enqueued (all queues). */
    record Journal(double fsyncs, double fsyncSeconds, double enqueued) {
        static Journal parse(String prometheusText) {
            return new Journal(
                    JournalFigures.metric(prometheusText, "tunnelmq_journal_fsync_seconds_count").orElse(0),
                    JournalFigures.metric(prometheusText, "tunnelmq_journal_fsync_seconds_sum").orElse(0),
                    JournalFigures.metric(prometheusText, "tunnelmq_queue_enqueued").orElse(0));
        }

        Journal minus(Journal earlier) {
            return new Journal(fsyncs - earlier.fsyncs, fsyncSeconds - earlier.fsyncSeconds,
                    enqueued - earlier.enqueued);
        }
    }
}
