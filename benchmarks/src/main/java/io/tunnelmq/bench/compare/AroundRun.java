package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.hostile.HostilePeers;
import io.tunnelmq.bench.load.LoadResult;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a scenario's {@link Setup} does around one load run, in the comparison's JVM (which only waits while a run goes
 * on): a metrics scraper or hostile peers, started once the broker is ready and stopped after the load, or a probe of
 * the disk's fsync rate before the load; then what they saw, which TLS provider the broker ran on, and whether the
 * broker survived — as notes for the table.
 */
final class AroundRun implements AutoCloseable {
    static final Duration SCRAPE_EVERY = Duration.ofSeconds(1);
    private static final Pattern TUNNELMQ_TLS = Pattern.compile("TLS on \\S+ with (.+?) \\(TLS");
    private static final Pattern ARTEMIS_TLS = Pattern.compile("TLS provider (.+)$");

    private final Setup setup;
    private final MetricsScraper scraper;
    private final HostilePeers peers;
    private final GroupCommit groupCommit;

    private AroundRun(Setup setup, MetricsScraper scraper, HostilePeers peers) {
        this(setup, scraper, peers, null);
    }

    private AroundRun(Setup setup, MetricsScraper scraper, HostilePeers peers, GroupCommit groupCommit) {
        this.setup = setup;
        this.scraper = scraper;
        this.peers = peers;
        this.groupCommit = groupCommit;
    }

    /**
     * Starts what {@code setup} needs beside the broker: a scraper on {@code httpPort}, or hostile peers (their first
     * wave connected when this returns) on {@code port}, or the fsync probe in {@code journalDisk} (the directory that
     * holds the broker's journal, or one on its disk).
     */
    static AroundRun start(Setup setup, int port, int httpPort, Path journalDisk)
            throws InterruptedException, IOException {
        return switch (setup) {
            case PLAIN, TLS, SMALL_HEAP, COLD_CLIENT, COLD_CLIENT_CDS, COLD_CLIENT_C1 ->
                    new AroundRun(setup, null, null);
            case FSYNC_PROBE -> new AroundRun(setup, null, null, GroupCommit.start(journalDisk, httpPort));
            case METRICS_SCRAPER -> new AroundRun(setup, MetricsScraper.start(
                    URI.create("http://127.0.0.1:" + httpPort + "/metrics"), SCRAPE_EVERY), null);
            case HOSTILE_PEERS -> new AroundRun(setup, null, HostilePeers.start(
                    new InetSocketAddress("127.0.0.1", port), HostilePeers.Plan.ISSUE_14));
        };
    }

    /**
     * Stops the scraper or peers and says what they and the broker saw.
     *
     * @return notes for the table, and the reason the run failed (null when it did not): a broker that died or ran out
     *         of memory under the run
     */
    Outcome finish(BrokerKind kind, ChildJvm broker, LoadResult result)
            throws InterruptedException, IOException {
        List<String> notes = new ArrayList<>();
        String log = broker.logText();
        if (groupCommit != null) {
            notes.add(groupCommit.finish(kind, result));
        }
        if (scraper != null) {
            notes.add(kind.title + " " + scraper.stop().describe());
        }
        if (peers != null) {
            notes.add(kind.title + " " + peers.stop().describe());
        }
        if (setup == Setup.TLS) {
            notes.add(kind.title + " TLS provider: " + tlsProvider(kind, log));
        }
        String failure = null;
        if (setup.smallHeap()) {
            boolean alive = broker.alive();
            boolean outOfMemory = log.contains("OutOfMemoryError");
            if (alive && !outOfMemory) {
                notes.add(kind.title + " broker survived: running at the end, no OutOfMemoryError in its log (-Xmx"
                        + Setup.HOSTILE_HEAP + ")");
            } else {
                failure = "the broker did not survive: " + (alive ? "" : "it exited; ")
                        + (outOfMemory ? "OutOfMemoryError in its log; " : "") + "see " + broker.log();
            }
        }
        return new Outcome(notes, failure);
    }

    /** The provider named by the broker: TunnelMQ's start-up line, or the {@code READY} line of the Artemis child. */
    static String tlsProvider(BrokerKind kind, String brokerLog) {
        Pattern pattern = switch (kind) {
            case TUNNELMQ -> TUNNELMQ_TLS;
            case ARTEMIS -> ARTEMIS_TLS;
        };
        return brokerLog.lines().map(pattern::matcher).filter(Matcher::find).map(m -> m.group(1).trim()).findFirst()
                .orElse("not named in its log");
    }

    @Override
    public void close() {
        if (scraper != null) {
            scraper.close();
        }
        if (peers != null) {
            peers.close();
        }
    }

    /** Notes of one run, and why it failed (null when it did not). */
    record Outcome(List<String> notes, String failure) {
    }
}
