package io.tunnelmq.bench.scale;

import io.tunnelmq.bench.CommandLine;
import io.tunnelmq.bench.compare.BrokerKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Options of the {@code scale} command.
 *
 * @param parts       which of the two scale scenarios run
 * @param brokers     the brokers, in order; each runs in a fresh JVM per scenario
 * @param connections idle connections (each with a session and a consumer) held beside the busy pair
 * @param openThreads client threads that open them (and the many-queues clients)
 * @param layout      which queue the idle consumers listen on
 * @param queues      queues of the many-queues scenario, each with one producer and one consumer
 * @param rate        messages per second of each of their producers
 * @param size        body size in bytes of every message sent
 * @param persistent  whether the many-queues producers send persistent messages
 * @param sendThreads threads of the scheduler that drives the many-queues producers
 * @param warmup      warm-up of each measured run
 * @param duration    measured time of each run
 * @param csv         the table as CSV
 * @param workDir     broker data, logs, JNDI files and per-run CSVs
 * @param brokerHeap  -Xmx of each broker JVM
 * @param clientHeap  -Xmx of the client JVMs that hold the connections and the queues' clients
 */
record ScaleOptions(List<Part> parts, List<BrokerKind> brokers, int connections, int openThreads, Layout layout,
                    int queues, int rate, int size, boolean persistent, int sendThreads, Duration warmup,
                    Duration duration, Path csv, Path workDir, String brokerHeap, String clientHeap) {

    static final String USAGE = """
            scale: issue 19's scale targets on one broker, TunnelMQ and ActiveMQ Artemis side by side (each broker in
            a fresh JVM per scenario, clients in JVMs of their own):
              connections: an np 1 KiB 1->1 pair alone, then N idle connections (each a session and a consumer)
                           opened from a pool of threads, the broker's heap per connection (full GC before and
                           after, read over JMX), then the pair again beside them
              queues:      Q queues, each with a producer sending R msg/s and a MessageListener consumer;
                           send-to-receive latency p50/p99/p99.9/max
              --scenarios LIST     connections,queues (both)
              --brokers LIST       tunnelmq,artemis (both)
              --connections N      idle connections (10000)
              --open-threads N     client threads opening connections (16)
              --layout L           shared: every idle consumer on queue scale.idle; own: scale.idle.<i> each (shared)
              --queues N           queues of the queues scenario (1000)
              --rate N             msg/s of each of their producers (10)
              --size BYTES         message body (1024)
              --persistent         the queues scenario sends persistent messages (non-persistent)
              --send-threads N     scheduler threads driving the producers (4)
              --warmup TIME        warm-up of each measured run (15s)
              --duration TIME      measured time of each run (10s)
              --csv FILE           the table as CSV (benchmarks/target/scale.csv, else ./scale.csv); every load
                                   run's row goes next to it (scale-runs.csv)
              --work DIR           broker data, logs, per-run CSVs (a new temporary directory)
              --broker-heap SIZE   broker -Xms/-Xmx (2g)
              --client-heap SIZE   client JVMs' -Xmx (2g: 10,000 JMS connections must fit)
            """;

    /** The two scenarios. */
    enum Part {
        CONNECTIONS, QUEUES;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where the idle connections' consumers listen. */
    enum Layout {
        /** One queue for all: a service queue with a consumer per client instance (the broker keeps one list). */
        SHARED,
        /** A queue per connection: each client its own inbox (the broker's heap figure includes the queue). */
        OWN;

        String queue(int connection) {
            return switch (this) {
                case SHARED -> "scale.idle";
                case OWN -> "scale.idle." + connection;
            };
        }
    }

    static ScaleOptions from(CommandLine line) throws IOException {
        String csv = line.string("csv", null);
        String work = line.string("work", null);
        ScaleOptions options = new ScaleOptions(
                CommandLine.enums(line.string("scenarios", "connections,queues"), Part.class, "scenario",
                        "connections, queues"),
                brokers(line.string("brokers", "tunnelmq,artemis")),
                positive(line, "connections", 10_000),
                positive(line, "open-threads", 16),
                layout(line.string("layout", "shared")),
                positive(line, "queues", 1_000),
                positive(line, "rate", 10),
                positive(line, "size", 1024),
                line.flag("persistent"),
                positive(line, "send-threads", 4),
                line.duration("warmup", Duration.ofSeconds(15)),
                line.duration("duration", Duration.ofSeconds(10)),
                csv != null ? Path.of(csv) : Files.isDirectory(Path.of("benchmarks", "target"))
                        ? Path.of("benchmarks", "target", "scale.csv") : Path.of("scale.csv"),
                work != null ? Path.of(work) : null,
                line.string("broker-heap", "2g"),
                line.string("client-heap", "2g"));
        if (options.duration.isZero() || options.duration.isNegative()) {
            throw new IllegalArgumentException("--duration must be above 0, not " + options.duration);
        }
        return options;
    }

    /** The work directory: the one asked for, or a new temporary one. */
    Path work() throws IOException {
        return workDir != null ? workDir : Files.createTempDirectory("tunnelmq-scale-");
    }

    /** Every load run's result row, next to the table: scale.csv -> scale-runs.csv. */
    Path runsCsv() {
        String name = csv.getFileName().toString();
        String stem = name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        return csv.resolveSibling(stem + "-runs.csv");
    }

    private static int positive(CommandLine line, String name, int defaultValue) {
        int v = line.integer(name, defaultValue);
        if (v < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1, not " + v);
        }
        return v;
    }

    private static List<BrokerKind> brokers(String list) {
        List<BrokerKind> brokers = Arrays.stream(list.split(",")).filter(s -> !s.isBlank()).map(BrokerKind::parse)
                .distinct().toList();
        if (brokers.isEmpty()) {
            throw new IllegalArgumentException("--brokers needs tunnelmq, artemis or both");
        }
        return brokers;
    }

    private static Layout layout(String value) {
        List<Layout> layouts = CommandLine.enums(value, Layout.class, "layout", "shared or own");
        if (layouts.size() != 1) {
            throw new IllegalArgumentException("--layout takes one of shared or own, not '" + value + "'");
        }
        return layouts.get(0);
    }
}
