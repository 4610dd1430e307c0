package io.tunnelmq.bench.compare;

/**
 * What a scenario's runs have around the load, besides the broker and the load tool: TLS, a metrics scraper, a small
 * heap, hostile peers. A scenario with a setup other than {@link #PLAIN} is read against its twin: the same load
 * without it.
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
    HOSTILE_PEERS("p99 with/without hostile peers", Setup.TUNNELMQ_ONLY);

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
            case PLAIN, TLS, METRICS_SCRAPER -> false;
            case SMALL_HEAP, HOSTILE_PEERS -> true;
        };
    }

    boolean runsOn(BrokerKind kind) {
        return kind == BrokerKind.TUNNELMQ || artemisNotRun == null;
    }
}
