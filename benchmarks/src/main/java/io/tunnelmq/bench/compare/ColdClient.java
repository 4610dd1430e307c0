package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.load.LoadResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * How a cold-client scenario runs against one broker (issue 19: "in a fresh client JVM, over its first 100,000
 * messages"): first a warm-up client JVM loads the broker for the warm-up time, on a queue of its own, so the broker
 * is as warm as in every other scenario, and drains that queue; then a fresh client JVM counts its messages with no
 * warm-up of its own. With
 * AppCDS the warm-up client also writes the archive of the classes it loaded ({@code -XX:ArchiveClassesAtExit}, JDK
 * 13+), and the cold client maps it ({@code -XX:SharedArchiveFile}): each broker's client gets an archive of its own
 * provider's classes, written by the same kind of run. With C1 alone the cold client JVM runs with
 * {@code -XX:TieredStopAtLevel=1}; its warm-up client (which only warms the broker) does not.
 */
final class ColdClient {
    /** The warm-up client's queue: the cold client must not count what the warm-up left behind. */
    static final String WARMUP_QUEUE_SUFFIX = ".warmup";
    /** The shortest warm-up client that still writes an archive: with {@code --warmup 0} the archive needs one. */
    static final Duration SHORTEST_TRAINING = Duration.ofSeconds(2);

    /** The JVM option that stops the JIT at C1 (tier 1: optimised, no profiling; no C2). */
    static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    private final boolean cds;
    private final boolean c1Only;
    private final Path archive;

    /** @param archive where the AppCDS archive goes (used only by {@link Setup#COLD_CLIENT_CDS}) */
    ColdClient(Setup setup, Path archive) {
        this.cds = setup == Setup.COLD_CLIENT_CDS;
        this.c1Only = setup == Setup.COLD_CLIENT_C1;
        this.archive = archive.toAbsolutePath();
    }

    /**
     * How long the warm-up client runs: the comparison's warm-up; with AppCDS at least {@link #SHORTEST_TRAINING},
     * since it writes the archive. Zero: no warm-up client.
     */
    Duration warmup(Duration configured) {
        return cds && configured.compareTo(SHORTEST_TRAINING) < 0 ? SHORTEST_TRAINING : configured;
    }

    /**
     * The warm-up client's load options: {@code scenario}'s load without its count, measured for {@code warmup}, then
     * drained, so the cold client meets a broker with no backlog.
     */
    static List<String> warmupArgs(Scenario scenario, Duration warmup) {
        List<String> args = new java.util.ArrayList<>(List.of("--warmup", "0ms", "--duration", warmup.toMillis() + "ms",
                "--drain"));
        args.addAll(scenario.warmupLoadArgs());
        return args;
    }

    /** The scenario's JNDI with the queue renamed, for the warm-up client. */
    static Properties warmupJndi(Properties jndi) {
        Properties p = new Properties();
        p.putAll(jndi);
        p.setProperty("queue.queue/bench", jndi.getProperty("queue.queue/bench") + WARMUP_QUEUE_SUFFIX);
        return p;
    }

    List<String> warmupJvmArgs() {
        return cds ? List.of("-XX:ArchiveClassesAtExit=" + archive) : List.of();
    }

    List<String> coldJvmArgs() {
        return cds ? List.of("-XX:SharedArchiveFile=" + archive) : c1Only ? List.of(C1_ONLY) : List.of();
    }

    /**
     * How long the cold client JVM took from launch to exit beside its count window: the rest is JVM start, JNDI,
     * connecting and subscribing, which the msg/s figure leaves out and class data sharing shortens too.
     */
    static String startNote(BrokerKind kind, double wallSeconds, LoadResult result) {
        return String.format(Locale.ROOT, "%s cold client JVM %.1f s from launch to exit, %.1f s of it counting the "
                + "messages", kind.title, wallSeconds, result.seconds());
    }

    /**
     * What the table should know about the archive: its size, or that there is none, and any CDS warning the cold
     * client printed (an archive the JVM refuses is ignored with a warning, and the run is then one without it).
     * Null without AppCDS.
     */
    String note(BrokerKind kind, String coldClientLog) throws IOException {
        if (!cds) {
            return null;
        }
        String size = Files.exists(archive)
                ? String.format(Locale.ROOT, "AppCDS archive %.1f MiB", Files.size(archive) / 1048576.0)
                : "no AppCDS archive was written (see the warm-up client's log)";
        List<String> warnings = coldClientLog.lines().filter(l -> l.contains("[cds") || l.contains("shared archive"))
                .filter(l -> l.contains("warning") || l.contains("rror")).limit(3).toList();
        return kind.title + " " + size + (warnings.isEmpty() ? "" : "; the cold client said: "
                + String.join(" | ", warnings));
    }
}
