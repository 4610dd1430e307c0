package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Options of the {@code compare} command.
 *
 * @param warmup     warm-up of each run
 * @param duration   measured time of each run
 * @param scenarios  the scenarios, in order
 * @param brokers    the brokers, in order; each scenario runs against them back to back
 * @param csv        the comparison table as CSV
 * @param workDir    broker data, logs, JNDI files and per-run CSVs
 * @param brokerHeap -Xmx of each broker JVM
 * @param clientHeap -Xmx of each load JVM
 * @param jfr        which brokers' JVMs (broker and load clients) record a JFR profile into the work dir
 * @param pagingScenarios the paging scenarios chosen (none unless named: they take minutes)
 * @param paging     their sizes
 * @param repeat     runs of every scenario (each run a TunnelMQ run and an Artemis run, back to back); 0: each
 *                   scenario's own count (3 for client-4, whose target holds in every one of three runs; 1 otherwise)
 */
record CompareOptions(Duration warmup, Duration duration, List<Scenario> scenarios, List<BrokerKind> brokers,
                      Path csv, Path workDir, String brokerHeap, String clientHeap, List<BrokerKind> jfr,
                      List<PagingScenario> pagingScenarios, PagingOptions paging, int repeat) {

    static final String USAGE = """
            compare: starts a TunnelMQ and an ActiveMQ Artemis broker (each in its own JVM) and runs each scenario
            against both back to back, each run in a fresh load-tool JVM; prints scenario, both figures, ratio, target.
              --duration TIME      measured time per run (10s)
              --warmup TIME        warm-up per run (15s: both JVMs reach their compiled speed)
              --scenarios LIST     comma-separated, or all (all): np-1to1, np-1to1-cold, np-1to1-cold-cds,
                                   np-1to1-cold-c1, client-4, persistent, persistent-4, request-reply,
                                   strict-peek-lock, shallow-peek-lock, shallow-peek-lock-window,
                                   np-1to1-tls, persistent-tls, np-1to1-scraped, persistent-scraped (TunnelMQ
                                   only), hostile-quiet, hostile-peers (TunnelMQ only, broker -Xmx256m)
              --brokers LIST       tunnelmq,artemis (both)
              --csv FILE           the comparison table as CSV (benchmarks/target/compare.csv, else ./compare.csv);
                                   every run's rates and latencies go next to it (compare-runs.csv)
              --work DIR           broker data, logs, per-run CSVs (a new temporary directory)
              --broker-heap SIZE   broker -Xmx (2g)
              --client-heap SIZE   load tool -Xmx (1g)
              --jfr LIST           record JFR profiles of these brokers' JVMs: tunnelmq, artemis, all, none (none)
              --repeat N           runs of every scenario, each a TunnelMQ and an Artemis run back to back; the
                                   table shows every run's ratio, met only if all meet (each scenario's own: 3
                                   for client-4, 1 for the others)
            """ + PagingOptions.USAGE;

    static CompareOptions from(CommandLine line) throws java.io.IOException {
        String csv = line.string("csv", null);
        String work = line.string("work", null);
        String jfr = line.string("jfr", "none");
        String scenarios = line.string("scenarios", "all");
        List<PagingScenario> paging = PagingScenario.in(scenarios);
        String others = PagingScenario.others(scenarios);
        return new CompareOptions(
                line.duration("warmup", Duration.ofSeconds(15)),
                line.duration("duration", Duration.ofSeconds(10)),
                others.isEmpty() && !paging.isEmpty() ? List.of() : Scenario.parse(others.isEmpty() ? "all" : others),
                brokers(line.string("brokers", "tunnelmq,artemis")),
                csv != null ? Path.of(csv) : Files.isDirectory(Path.of("benchmarks", "target"))
                        ? Path.of("benchmarks", "target", "compare.csv") : Path.of("compare.csv"),
                work != null ? Path.of(work) : Files.createTempDirectory("tunnelmq-compare-"),
                line.string("broker-heap", "2g"),
                line.string("client-heap", "1g"),
                jfr.equals("none") ? List.of() : jfr.equals("all") ? List.of(BrokerKind.values()) : brokers(jfr),
                paging, PagingOptions.from(line), line.has("repeat") ? repeat(line.integer("repeat", 1)) : 0);
    }

    /** How many times {@code scenario} runs: {@code --repeat}, or the count its target asks for. */
    int runs(Scenario scenario) {
        return repeat > 0 ? repeat : scenario.target.runs();
    }

    private static int repeat(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--repeat needs a count of runs of 1 or more, not " + n);
        }
        return n;
    }

    /** Every run's result row (rates, latency percentiles), next to the table: compare.csv -> compare-runs.csv. */
    Path runsCsv() {
        String name = csv.getFileName().toString();
        String stem = name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        return csv.resolveSibling(stem + "-runs.csv");
    }

    private static List<BrokerKind> brokers(String list) {
        return Arrays.stream(list.split(",")).filter(s -> !s.isBlank()).map(BrokerKind::parse).distinct().toList();
    }
}
