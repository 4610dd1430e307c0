package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.CommandLine;
import io.tunnelmq.bench.Csv;
import io.tunnelmq.bench.ExitCode;
import io.tunnelmq.bench.broker.BrokerCommand;
import io.tunnelmq.bench.load.LoadResult;
import io.tunnelmq.bench.load.ResultTable;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The {@code compare} command. Each scenario runs against one broker, then the other; every run gets a fresh broker
 * JVM and a fresh load-tool JVM, so neither provider's classes, JIT profile, garbage or leftover messages affect
 * another run's figures. The table shows both figures and the ratio. A scenario's {@link Setup} may add TLS, a metrics
 * scraper, hostile peers or an fsync probe around its runs ({@link AroundRun}; scraper and peers run against TunnelMQ
 * only), or run the load in a cold client JVM after another client JVM warmed the broker ({@link ColdClient}). A
 * scenario runs {@link CompareOptions#runs} times, each time against both brokers back to back.
 */
public final class CompareCommand {
    private static final long BROKER_START_MILLIS = 90_000;
    private static final long RUN_GRACE_MILLIS = 120_000;

    private final CompareOptions options;
    /** Whether the TunnelMQ broker mentions a journal: one that does not keeps persistent messages in memory. */
    private boolean tunnelDurable;

    private CompareCommand(CompareOptions options) {
        this.options = options;
    }

    public static int run(List<String> args) throws Exception {
        Optional<CompareOptions> read = CommandLine.options(args, CompareOptions.USAGE, CompareOptions::from);
        if (read.isEmpty()) {
            return ExitCode.OK;
        }
        CompareOptions options = read.get();
        return new CompareCommand(options).compare();
    }

    private int compare() throws Exception {
        Path work = options.workDir();
        Files.createDirectories(work);
        System.out.println("comparison work directory (logs, broker data, per-run CSVs): " + work.toAbsolutePath());
        // the paging scenarios run in phases of their own, not in the load tool's warm-up and measured window
        int pagingCode = options.pagingScenarios().isEmpty() ? ExitCode.OK : new PagingComparison(options).run();
        if (options.scenarios().isEmpty()) {
            return pagingCode;
        }
        Map<Scenario, List<Map<BrokerKind, LoadResult>>> results = new LinkedHashMap<>();
        String loadAtStart = loadAverage();
        Map<Scenario, List<String>> runNotes = new LinkedHashMap<>();
        for (Scenario scenario : options.scenarios()) {
            List<Map<BrokerKind, LoadResult>> runs = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            int count = options.runs(scenario);
            for (int run = 1; run <= count; run++) {
                // each run is a TunnelMQ run and an Artemis run back to back: the pair shares the machine's conditions
                Map<BrokerKind, LoadResult> row = new EnumMap<>(BrokerKind.class);
                List<String> runNoteList = new ArrayList<>();
                for (BrokerKind kind : options.brokers()) {
                    if (scenario.setup.runsOn(kind)) { // else the table says why
                        row.put(kind, runOnce(scenario, kind, run, runNoteList));
                    }
                }
                runs.add(row);
                String prefix = count > 1 ? "run " + run + ": " : "";
                runNoteList.forEach(n -> notes.add(prefix + n));
            }
            results.put(scenario, runs);
            runNotes.put(scenario, notes);
        }
        ComparisonTable table = new ComparisonTable(results, options.brokers(), tunnelDurable, runNotes);
        System.out.println();
        System.out.println("Warm-up " + options.warmup().toMillis() / 1000.0 + " s, measured "
                + options.duration().toMillis() / 1000.0 + " s per run; "
                + Runtime.getRuntime().availableProcessors() + " CPUs; brokers -Xmx" + options.brokerHeap()
                + (options.scenarios().stream().anyMatch(sc -> sc.setup.smallHeap())
                ? " (hostile-* -Xmx" + Setup.HOSTILE_HEAP + ")" : "")
                + ", load tool -Xmx" + options.clientHeap() + " (its own JVM per run"
                + (options.scenarios().stream().anyMatch(sc -> sc.setup.coldClient())
                ? "; *-cold: the warm-up in a client JVM of its own, then a fresh one counts "
                + String.format(Locale.ROOT, "%,d", Scenario.COLD_MESSAGES) + " messages" : "")
                + "); load average "
                + loadAtStart + " at the start, " + loadAverage() + " at the end.");
        table.print(System.out);
        Files.deleteIfExists(options.csv());
        Csv.append(options.csv(), ComparisonTable.CSV_HEADER, table.csvRows());
        // the table shows one figure per scenario; every run's rates and percentiles are worth keeping too
        List<LoadResult> runs = results.values().stream().flatMap(List::stream).flatMap(r -> r.values().stream())
                .toList();
        System.out.println();
        System.out.println("Every run (latency: send to receive, request-reply: the round trip):");
        ResultTable.print(runs, System.out);
        Files.deleteIfExists(options.runsCsv());
        ResultTable.appendCsv(options.runsCsv(), runs);
        System.out.println("CSV: " + options.csv().toAbsolutePath() + ", every run: "
                + options.runsCsv().toAbsolutePath());
        return runs.stream().allMatch(LoadResult::ok) && pagingCode == ExitCode.OK ? ExitCode.OK : ExitCode.FAILED;
    }

    private ChildJvm startBroker(BrokerKind kind, String name, TlsKeys tls, String heap, int httpPort)
            throws IOException, InterruptedException {
        System.err.println("== " + name.replace("-" + kind.id(), "") + " against " + kind.title + " ==");
        int port = ChildJvm.freePort();
        List<String> brokerArgs = new ArrayList<>(List.of("broker", kind.id(), "--port", Integer.toString(port),
                "--data", options.workDir().resolve(name + "-data").toString()));
        if (tls != null) {
            brokerArgs.addAll(List.of("--tls-keystore", tls.keyStore().toString(), "--tls-password",
                    TlsKeys.PASSWORD));
        }
        if (httpPort != 0) {
            brokerArgs.addAll(List.of("--http-port", Integer.toString(httpPort)));
        }
        List<String> jvmArgs = jvmArgs(kind, heap, name + "-broker", true);
        if (!heap.equals(options.brokerHeap())) {
            // a small heap under attack: its collections are the first suspect of a slow round trip
            jvmArgs.add("-Xlog:gc:file=" + options.workDir().resolve(name + "-broker-gc.log").toAbsolutePath());
        }
        ChildJvm broker = ChildJvm.start(kind.id() + " broker", jvmArgs,
                brokerArgs,
                options.workDir().resolve(name + "-broker.log"), false, port);
        System.err.println(broker.awaitReady(BrokerCommand.READY, BROKER_START_MILLIS));
        return broker;
    }

    /**
     * One run of {@code scenario} against a fresh broker of {@code kind}; what the run saw besides the load tool's
     * figures goes to {@code notes}.
     */
    private LoadResult runOnce(Scenario scenario, BrokerKind kind, int run, List<String> notes) throws IOException,
            InterruptedException {
        Path work = options.workDir();
        String name = scenario.id + (run > 1 ? "-run" + run : "") + "-" + kind.id();
        String label = scenario.id + (run > 1 ? "#" + run : "") + "@" + kind.id();
        int httpPort = scenario.setup.httpPort(kind) ? ChildJvm.freePort() : 0;
        TlsKeys tls = scenario.tls ? TlsKeys.in(work) : null;
        // a fresh broker per run: no backlog, garbage or memory pressure is carried from one run to the next
        try (ChildJvm broker = startBroker(kind, name, tls, scenario.setup.brokerHeap(options.brokerHeap()),
                httpPort)) {
            if (kind == BrokerKind.TUNNELMQ) {
                // a broker that does not mention its journal keeps persistent messages in memory: say so in the table
                tunnelDurable = broker.logText().toLowerCase(Locale.ROOT).contains("journal");
            }
            // the fsync probe runs in the work directory: the broker's journal is under it, on the same disk
            try (AroundRun around = AroundRun.start(scenario.setup, broker.port(), httpPort, work)) {
                Properties jndi = kind.jndi(broker.port(), scenario, tls);
                LoadResult result = scenario.setup.coldClient()
                        ? runCold(scenario, kind, name, label, jndi, broker.pid(), notes)
                        : runLoad(scenario, kind, name, label, jndi, broker.pid(), timeArgs(options.warmup()),
                        scenario.loadArgs, List.of(ChildJvm.PRE_TOUCH)); // warmed to leave start-up out; cold keeps it
                AroundRun.Outcome outcome = around.finish(kind, broker, result);
                notes.addAll(outcome.notes());
                return outcome.failure() == null ? result : result.failedBecause(outcome.failure());
            }
        } catch (IllegalStateException e) {
            return failed(label, scenario, kind, e.getMessage());
        }
    }

    /** {@code --warmup} and {@code --duration} of a time-mode load run. */
    private List<String> timeArgs(Duration warmup) {
        return List.of("--warmup", warmup.toMillis() + "ms", "--duration", options.duration().toMillis() + "ms");
    }

    /**
     * A cold-client run ({@link ColdClient}): a warm-up client JVM warms the broker on a queue of its own, then a fresh
     * client JVM counts the scenario's messages without a warm-up.
     */
    private LoadResult runCold(Scenario scenario, BrokerKind kind, String name, String label, Properties jndi,
                               long brokerPid, List<String> notes) throws IOException, InterruptedException {
        ColdClient cold = new ColdClient(scenario.setup, options.workDir().resolve(name + "-client.jsa"));
        Duration warmup = cold.warmup(options.warmup());
        if (!warmup.isZero()) {
            LoadResult warm = runLoad(scenario, kind, name + "-warmup", label + "-warmup",
                    ColdClient.warmupJndi(jndi), brokerPid, List.of(), ColdClient.warmupArgs(scenario, warmup),
                    cold.warmupJvmArgs());
            if (!warm.ok()) {
                return failed(label, scenario, kind, "the warm-up client failed: " + warm.error());
            }
        }
        long launched = System.nanoTime();
        LoadResult result = runLoad(scenario, kind, name, label, jndi, brokerPid, List.of(), scenario.loadArgs,
                cold.coldJvmArgs());
        if (result.ok()) {
            notes.add(ColdClient.startNote(kind, (System.nanoTime() - launched) / 1e9, result));
        }
        String note = cold.note(kind, Files.readString(options.workDir().resolve(name + ".log")));
        if (note != null) {
            notes.add(note);
        }
        return result;
    }

    /**
     * One load-tool JVM; its result row, or a failed result that says why there is none. The row has the CPU time per
     * message of the load tool's JVM and of the broker's ({@code brokerPid}) over the measured window.
     */
    private LoadResult runLoad(Scenario scenario, BrokerKind kind, String name, String label, Properties properties,
                               long brokerPid, List<String> timeArgs, List<String> loadArgs,
                               List<String> extraJvmArgs)
            throws IOException, InterruptedException {
        Path work = options.workDir();
        Path jndi = work.resolve(name + ".jndi.properties");
        try (OutputStream out = Files.newOutputStream(jndi)) {
            properties.store(out, "JNDI for " + name);
        }
        Path csv = work.resolve(name + ".csv");
        Files.deleteIfExists(csv);
        List<String> args = new ArrayList<>(List.of("load", "--jndi", jndi.toString(), "--label", label, "--csv",
                csv.toString(), "--cpu-of", Long.toString(brokerPid)));
        args.addAll(timeArgs);
        args.addAll(loadArgs);
        List<String> jvmArgs = jvmArgs(kind, options.clientHeap(), name + "-client", false);
        jvmArgs.addAll(extraJvmArgs);
        int code;
        try (ChildJvm load = ChildJvm.start(name + " load", jvmArgs, args, work.resolve(name + ".log"), true, 0)) {
            code = load.await(options.warmup().plus(options.duration()).toMillis() + RUN_GRACE_MILLIS);
        } catch (IllegalStateException e) {
            return failed(label, scenario, kind, e.getMessage());
        }
        if (!Files.exists(csv)) {
            return failed(label, scenario, kind, "the load run exited with code " + code + " and wrote no result; see "
                    + work.resolve(name + ".log"));
        }
        List<List<String>> rows = Csv.parse(Files.readString(csv, StandardCharsets.UTF_8));
        return LoadResult.fromCsv(rows.get(rows.size() - 1));
    }

    private static LoadResult failed(String label, Scenario scenario, BrokerKind kind, String error) {
        return new LoadResult(label, kind.title, scenario.description, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, error);
    }

    private List<String> jvmArgs(BrokerKind kind, String heap, String jfrName, boolean broker) {
        List<String> args = new ArrayList<>(broker ? ChildJvm.preTouchedHeap(heap) : List.of("-Xms" + heap, "-Xmx" + heap));
        if (Boolean.getBoolean("io.netty.handler.ssl.noOpenSsl")) {
            args.add("-Dio.netty.handler.ssl.noOpenSsl=true"); // TLS on the JDK's provider, for a comparison with OpenSSL
        }
        if (broker) {
            // the broker logs go to files; what the brokers say at start (storage, journal) belongs there
            args.add("-Dorg.slf4j.simpleLogger.log.io.tunnelmq.server=info");
            args.add("-Dorg.slf4j.simpleLogger.log.org.apache.activemq.artemis.core.server=info");
        }
        if (options.jfr().contains(kind)) {
            args.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + options.workDir().resolve(jfrName + ".jfr").toAbsolutePath());
        }
        return args;
    }

    /** The 1/5/15-minute load averages where the OS tells them: other work on the machine skews every figure. */
    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

}
