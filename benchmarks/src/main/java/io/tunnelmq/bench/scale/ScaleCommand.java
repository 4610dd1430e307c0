package io.tunnelmq.bench.scale;

import io.tunnelmq.bench.CommandLine;
import io.tunnelmq.bench.Csv;
import io.tunnelmq.bench.ExitCode;
import io.tunnelmq.bench.compare.BrokerKind;
import io.tunnelmq.bench.compare.ChildJvm;
import io.tunnelmq.bench.load.LoadResult;
import io.tunnelmq.bench.load.ResultTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code scale} command: issue 19's "scale on one broker" targets, TunnelMQ and ActiveMQ Artemis side by side.
 * Each scenario gets a fresh broker JVM per broker (as {@code compare} starts them); the clients run in JVMs of their
 * own ({@link ScaleClient}, the load tool), so the broker's heap holds only what the broker keeps.
 */
public final class ScaleCommand {
    /** Room for a run beyond its warm-up and measured time: JVM start, opening and closing connections. */
    private static final long GRACE_MILLIS = 180_000;
    /** The busy pair's load-tool JVM, as {@code compare} gives it. */
    private static final String LOAD_HEAP = "1g";
    private static final int CONNECTION_MARGIN = 1_000;

    private final ScaleOptions options;
    private final Path work;
    private final ScaleBrokers brokers;
    private final List<LoadResult> runs = new ArrayList<>();

    private ScaleCommand(ScaleOptions options, Path work) {
        this.options = options;
        this.work = work;
        // the idle connections or the queues' clients, and the pair, the warm-up connections and some to spare
        this.brokers = new ScaleBrokers(work, options.brokerHeap(),
                Math.max(options.connections(), options.queues()) + CONNECTION_MARGIN);
    }

    public static int run(List<String> args) throws Exception {
        Optional<ScaleOptions> read = CommandLine.options(args, ScaleOptions.USAGE, ScaleOptions::from);
        if (read.isEmpty()) {
            return ExitCode.OK;
        }
        ScaleOptions options = read.get();
        Path work = options.work();
        Files.createDirectories(work);
        return new ScaleCommand(options, work).scale();
    }

    private int scale() throws IOException, InterruptedException {
        System.out.println("scale work directory (logs, broker data, per-run CSVs): " + work.toAbsolutePath());
        String loadAtStart = loadAverage();
        Map<BrokerKind, IdleFigures> idle = new EnumMap<>(BrokerKind.class);
        Map<BrokerKind, LoadResult> queues = new EnumMap<>(BrokerKind.class);
        for (ScaleOptions.Part part : options.parts()) {
            for (BrokerKind kind : options.brokers()) {
                switch (part) {
                    case CONNECTIONS -> idle.put(kind, connections(kind));
                    case QUEUES -> queues.put(kind, queues(kind));
                }
            }
        }
        ScaleTable table = ScaleReport.table(options, idle, queues);
        System.out.println();
        System.out.println(Runtime.getRuntime().availableProcessors() + " CPUs; brokers -Xmx" + options.brokerHeap()
                + ", scale clients -Xmx" + options.clientHeap() + ", load tool -Xmx" + LOAD_HEAP
                + " (each in its own JVM); load average " + loadAtStart + " at the start, " + loadAverage()
                + " at the end.");
        table.print(System.out);
        Files.deleteIfExists(options.csv());
        Csv.append(options.csv(), ScaleTable.CSV_HEADER, table.csvRows());
        if (!runs.isEmpty()) {
            System.out.println();
            System.out.println("Every load run (latency: send to receive):");
            ResultTable.print(runs, System.out);
            Files.deleteIfExists(options.runsCsv());
            ResultTable.appendCsv(options.runsCsv(), runs);
        }
        System.out.println("CSV: " + options.csv().toAbsolutePath()
                + (runs.isEmpty() ? "" : ", every load run: " + options.runsCsv().toAbsolutePath()));
        // a broker that fell over before it held them all is a failed run, whatever it measured so far
        boolean ok = idle.values().stream().allMatch(f -> f.failure() == null && f.open().ok())
                && runs.stream().allMatch(LoadResult::ok);
        return ok ? ExitCode.OK : ExitCode.FAILED;
    }

    /**
     * The pair alone; the broker's live heap; the idle connections opened (their client JVM holds them); the heap
     * again; the pair beside them; they close; the pair alone again.
     */
    private IdleFigures connections(BrokerKind kind) throws IOException, InterruptedException {
        String name = "connections-" + kind.id();
        try (ChildJvm broker = brokers.start(kind, name)) {
            LoadResult alone = pair(kind, broker, name + "-pair-alone");
            try (BrokerHeap heap = BrokerHeap.attach(broker.pid())) {
                long before = heap.liveBytes();
                int threadsBefore = heap.threadCount();
                Path idleJndi = brokers.jndi(kind, broker, name + "-idle", "scale.idle");
                Path idleLog = work.resolve(name + "-idle.log");
                System.err.printf("-- %s: opening %,d idle connections%n", name, options.connections());
                OpenReport open;
                long after;
                int threadsAfter;
                LoadResult beside;
                try (ChildJvm client = ChildJvm.start(name + " idle client", List.of("-Xmx" + options.clientHeap(),
                        "-Xlog:gc:file=" + work.resolve(name + "-idle-gc.log").toAbsolutePath()),
                        ScaleClient.class.getName(), List.of("idle", "--jndi", idleJndi.toString(), "--connections",
                                Integer.toString(options.connections()), "--open-threads",
                                Integer.toString(options.openThreads()), "--layout", options.layout().name()),
                        idleLog, false, 0)) {
                    open = OpenReport.parse(client.awaitLine(OpenReport.PREFIX, openTimeoutMillis()));
                    System.err.println(open.line());
                    after = heap.liveBytes();
                    threadsAfter = heap.threadCount();
                    beside = pair(kind, broker, name + "-pair-beside");
                }
                String closed = Files.readAllLines(idleLog, StandardCharsets.UTF_8).stream()
                        .filter(l -> l.startsWith(IdleConnections.CLOSED)).findFirst().orElse(null);
                LoadResult aloneAfter = pair(kind, broker, name + "-pair-after");
                String failure = broker.alive() && !broker.logText().contains("OutOfMemoryError") ? null
                        : "the broker did not survive; see " + broker.log();
                return new IdleFigures(open, before, after, threadsBefore, threadsAfter, alone, beside, aloneAfter,
                        closed, failure);
            }
        } catch (IllegalStateException e) {
            return IdleFigures.failed(e.getMessage());
        }
    }

    /** The many-queues load in a client JVM of its own, against a fresh broker. */
    private LoadResult queues(BrokerKind kind) throws IOException, InterruptedException {
        String name = "queues-" + kind.id();
        String label = "queues@" + kind.id();
        try (ChildJvm broker = brokers.start(kind, name)) {
            Path jndi = brokers.jndi(kind, broker, name, "scale.q.0");
            Path csv = work.resolve(name + ".csv");
            Files.deleteIfExists(csv);
            List<String> args = new ArrayList<>(List.of("queues", "--jndi", jndi.toString(), "--queues",
                    Integer.toString(options.queues()), "--rate", Integer.toString(options.rate()), "--size",
                    Integer.toString(options.size()), "--open-threads", Integer.toString(options.openThreads()),
                    "--send-threads", Integer.toString(options.sendThreads()), "--warmup",
                    options.warmup().toMillis() + "ms", "--duration", options.duration().toMillis() + "ms",
                    "--label", label, "--csv", csv.toString()));
            if (options.persistent()) {
                args.add("--persistent");
            }
            System.err.printf("-- %s: %,d queues at %d msg/s each%n", name, options.queues(), options.rate());
            // a fixed, pre-touched heap, as compare's warm runs: its warm-up is to leave start-up costs out
            LoadResult result = awaitResult(ChildJvm.start(name + " client",
                    ChildJvm.preTouchedHeap(options.clientHeap()), ScaleClient.class.getName(), args,
                    work.resolve(name + ".log"), false, 0), csv, label);
            runs.add(result);
            return broker.alive() ? result : result.failedBecause("the broker did not survive; see " + broker.log());
        } catch (IllegalStateException e) {
            LoadResult failed = failed(label, e.getMessage());
            runs.add(failed);
            return failed;
        }
    }

    /**
     * The busy np 1->1 pair: the load tool in a fresh JVM, on a queue of the run's own (the load tool stops its
     * consumer before the last messages arrive: no run starts with another's leftovers).
     */
    private LoadResult pair(BrokerKind kind, ChildJvm broker, String name) throws IOException, InterruptedException {
        Path jndi = brokers.jndi(kind, broker, name, "scale." + name.replace("connections-" + kind.id() + "-", ""));
        Path csv = work.resolve(name + ".csv");
        Files.deleteIfExists(csv);
        String label = name.replace("-" + kind.id(), "") + "@" + kind.id();
        System.err.println("-- " + name);
        List<String> args = List.of("load", "--jndi", jndi.toString(), "--label", label, "--csv", csv.toString(),
                "--warmup", options.warmup().toMillis() + "ms", "--duration", options.duration().toMillis() + "ms",
                "--producers", "1", "--consumers", "1", "--size", Integer.toString(options.size()), "--ack", "auto");
        LoadResult result = awaitResult(ChildJvm.start(name + " load", ChildJvm.preTouchedHeap(LOAD_HEAP), args,
                work.resolve(name + ".log"), false, 0), csv, label);
        runs.add(result);
        return result;
    }

    private LoadResult awaitResult(ChildJvm client, Path csv, String label) throws IOException, InterruptedException {
        int code;
        try (client) {
            code = client.await(options.warmup().plus(options.duration()).toMillis() + openTimeoutMillis());
        } catch (IllegalStateException e) {
            return failed(label, e.getMessage());
        }
        if (!Files.exists(csv)) {
            return failed(label, "the run exited with code " + code + " and wrote no result; see " + client.log());
        }
        List<List<String>> rows = Csv.parse(Files.readString(csv, StandardCharsets.UTF_8));
        return LoadResult.fromCsv(rows.get(rows.size() - 1));
    }

    /** Time to open the connections even at 50 a second, plus JVM start. */
    private long openTimeoutMillis() {
        return Math.max(options.connections(), options.queues()) * 20L + GRACE_MILLIS;
    }

    private static LoadResult failed(String label, String error) {
        return new LoadResult(label, "", "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, error);
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
