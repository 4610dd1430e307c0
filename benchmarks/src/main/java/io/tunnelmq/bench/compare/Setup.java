package io.tunnelmq.bench.compare;

/**
 * What a scenario's runs have around the load, besides the broker and the load tool: TLS, a metrics scraper, a small
 * heap, hostile peers, a cold client, an fsync probe. A scenario whose setup names a ratio ({@link #ratioName}) is read
 * against its twin: the same load without the setup ({@link Scenario#twin()}).
 */
enum Setup {
    /** The broker as the comparison always starts it. */
    PLAIN(null, null),
    /** Both brokers listen with TLS only; the clients connect through it. */
    TLS("TLS/plain", null),
    /**
     * TunnelMQ's HTTP port is open and a scraper GETs {@code /metrics} every second for the whole run (issue 17: what
     * the metrics cost). Artemis has no Prometheus endpoint without a plugin that is not on Maven Central.
     */
    METRICS_SCRAPER("scraped/unscraped", "no Prometheus endpoint without the artemis-prometheus-metrics-plugin, "
            + "which is not on Maven Central"),
    /** A broker JVM with {@value #HOSTILE_HEAP} of heap, nothing else: the baseline of {@link #HOSTILE_PEERS}. */
    SMALL_HEAP(null, Setup.TUNNELMQ_ONLY),
    /** A broker JVM with {@value #HOSTILE_HEAP} of heap, attacked by hostile peers for the whole run (issue 14). */
    HOSTILE_PEERS("p99 with/without hostile peers", Setup.TUNNELMQ_ONLY),
    /**
     * A cold client (issue 19): the broker is warmed by a client JVM of its own on another queue, then a fresh client
     * JVM runs the scenario's count without a warm-up of its own.
     */
    COLD_CLIENT(null, null),
    /** {@link #COLD_CLIENT}, the warm-up client writing an AppCDS archive that the cold client maps. */
    COLD_CLIENT_CDS("with/without AppCDS", null),
    /**
     * {@link #COLD_CLIENT}, the cold client JVM compiling with C1 alone ({@code -XX:TieredStopAtLevel=1}): what a
     * short program gains when the JIT stops at its quick compiler (no profiling tier, no C2 compilations competing
     * for the cores).
     */
    COLD_CLIENT_C1("C1 only/default", null),
    /**
     * The disk's fsync rate is probed next to the broker's journal before each run, and TunnelMQ's HTTP port is open
     * so that its journal's fsyncs can be counted over the run ({@link GroupCommit}).
     */
    FSYNC_PROBE("4 producers/1", null);

    /** The heap of the broker JVM that hostile peers attack (issue 14). */
    static final String HOSTILE_HEAP = "256m";
    private static final String TUNNELMQ_ONLY = "the hostile peers speak TunnelMQ's wire format (a length prefix before "
            + "login); Artemis's pre-login path is another protocol";

    /** How the table names the ratio of a run with this setup to its twin's; null: the setup has no twin. */
    final String ratioName;
    /** Why Artemis does not run with this setup; null: it does. */
    final String artemisNotRun;

    Setup(String ratioName, String artemisNotRun) {
        this.ratioName = ratioName;
        this.artemisNotRun = artemisNotRun;
    }

    /** The broker heap of this setup's runs, or {@code configured} (the {@code --broker-heap} option). */
    String brokerHeap(String configured) {
        return smallHeap() ? HOSTILE_HEAP : configured;
    }

    /** Whether the broker runs with {@link #HOSTILE_HEAP} whatever {@code --broker-heap} says. */
    boolean smallHeap() {
        return switch (this) {
            case PLAIN, TLS, METRICS_SCRAPER, COLD_CLIENT, COLD_CLIENT_CDS, COLD_CLIENT_C1, FSYNC_PROBE -> false;
            case SMALL_HEAP, HOSTILE_PEERS -> true;
        };
    }

    /** Whether a broker of {@code kind} serves {@code /metrics} on an HTTP port of its own in this setup's runs. */
    boolean httpPort(BrokerKind kind) {
        return kind == BrokerKind.TUNNELMQ && (this == METRICS_SCRAPER || this == FSYNC_PROBE);
    }

    /** Whether the load runs in a fresh client JVM after another client JVM has warmed the broker. */
    boolean coldClient() {
        return switch (this) {
            case COLD_CLIENT, COLD_CLIENT_CDS, COLD_CLIENT_C1 -> true;
            case PLAIN, TLS, METRICS_SCRAPER, SMALL_HEAP, HOSTILE_PEERS, FSYNC_PROBE -> false;
        };
    }

    boolean runsOn(BrokerKind kind) {
        return kind == BrokerKind.TUNNELMQ || artemisNotRun == null;
    }
}
