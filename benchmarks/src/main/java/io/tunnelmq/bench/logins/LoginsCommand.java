package io.tunnelmq.bench.logins;

import io.tunnelmq.bench.CommandLine;
import io.tunnelmq.bench.Csv;
import io.tunnelmq.bench.ExitCode;
import io.tunnelmq.bench.broker.BrokerCommand;
import io.tunnelmq.bench.compare.ChildJvm;
import io.tunnelmq.jms.TunnelConnectionFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code logins} command: how a broker with a users file takes a storm of logins, as after its restart. Each
 * storm gets a fresh broker JVM ({@code broker tunnelmq --users}), so nothing is remembered from before, as after a
 * restart; the clients are threads of this JVM. Its figures are the README's Security paragraph's.
 */
public final class LoginsCommand {
    private static final long BROKER_START_MILLIS = 90_000;
    /** Connections the broker must hold at once, all from 127.0.0.1 (its per-address default is 512). */
    private static final int MAX_CONNECTIONS = 20_000;
    static final List<String> CSV_HEADER = List.of("scenario", "login_cache_ms", "wave", "clients", "in", "failed",
            "last_ms", "p50_ms", "p99_ms", "logins_per_s");

    private final LoginsOptions options;
    private final Path work;
    private final Path users;

    private LoginsCommand(LoginsOptions options, Path work, Path users) {
        this.options = options;
        this.work = work;
        this.users = users;
    }

    public static int run(List<String> args) throws Exception {
        Optional<LoginsOptions> read = CommandLine.options(args, LoginsOptions.USAGE, LoginsOptions::from);
        if (read.isEmpty()) {
            return ExitCode.OK;
        }
        LoginsOptions options = read.get();
        Path work = options.work();
        Files.createDirectories(work);
        Path users = UsersFile.write(work.resolve("users.properties"), options.users());
        return new LoginsCommand(options, work, users).storms();
    }

    /** One row of the table: a wave of a storm. */
    record Row(LoginsOptions.Part part, long loginCacheMillis, int wave, WaveResult result) {
    }

    private int storms() throws IOException, InterruptedException {
        System.out.println("logins work directory (users file, broker data and logs): " + work.toAbsolutePath());
        List<Row> rows = new ArrayList<>();
        for (LoginsOptions.Part part : options.parts()) {
            switch (part) {
                case ONE_USER -> {
                    for (long cache : options.loginCaches()) {
                        rows.addAll(storm(part, cache, List.of(options.clients())));
                    }
                }
                case DISTINCT -> rows.addAll(storm(part, 60_000, options.waves()));
            }
        }
        System.out.println();
        System.out.println(Runtime.getRuntime().availableProcessors() + " CPUs; broker -Xmx" + options.brokerHeap()
                + "; users file " + users + " (the broker's default password hash)");
        print(rows, System.out);
        Files.deleteIfExists(options.csv());
        Csv.append(options.csv(), CSV_HEADER, csvRows(rows));
        System.out.println("CSV: " + options.csv().toAbsolutePath());
        return ExitCode.OK;
    }

    /** A fresh broker remembering passed checks for {@code cache} ms; the waves one after another against it. */
    private List<Row> storm(LoginsOptions.Part part, long cache, List<Integer> waves)
            throws IOException, InterruptedException {
        String name = part.id() + "-cache-" + cache;
        System.err.println("== " + name + " ==");
        int port = ChildJvm.freePort();
        List<Row> rows = new ArrayList<>();
        try (ChildJvm broker = ChildJvm.start("tunnelmq broker", ChildJvm.preTouchedHeap(options.brokerHeap()),
                List.of("broker", "tunnelmq", "--port", Integer.toString(port), "--data",
                        work.resolve(name + "-data").toString(), "--max-connections",
                        Integer.toString(MAX_CONNECTIONS), "--users", users.toString(), "--login-cache",
                        Long.toString(cache)),
                work.resolve(name + "-broker.log"), false, port)) {
            System.err.println(broker.awaitReady(BrokerCommand.READY, BROKER_START_MILLIS));
            TunnelConnectionFactory factory = new TunnelConnectionFactory("tmq://127.0.0.1:" + port);
            int firstUser = 0;
            for (int w = 0; w < waves.size(); w++) {
                int offset = firstUser;
                WaveResult result = LoginWave.open(factory, waves.get(w), i -> UsersFile.user(
                        part == LoginsOptions.Part.ONE_USER ? 0 : offset + i), UsersFile.PASSWORD);
                System.err.printf("-- %s wave %d: %d of %d in, %d failed, last after %d ms%s%n", name, w + 1,
                        result.in(), result.clients(), result.failed(), result.lastMillis(),
                        result.firstFailure() == null ? "" : "; first failure: " + result.firstFailure());
                rows.add(new Row(part, cache, w + 1, result));
                firstUser += waves.get(w);
            }
        }
        return rows;
    }

    static void print(List<Row> rows, PrintStream out) {
        out.printf("%-9s %9s %4s %7s %7s %7s %9s %8s %8s %9s%n", "storm", "cache ms", "wave", "clients", "in",
                "failed", "last ms", "p50 ms", "p99 ms", "logins/s");
        for (Row r : rows) {
            WaveResult w = r.result();
            out.printf(Locale.ROOT, "%-9s %9d %4d %7d %7d %7d %9d %8d %8d %9.0f%n", r.part().id(), r.loginCacheMillis(),
                    r.wave(), w.clients(), w.in(), w.failed(), w.lastMillis(), w.p50Millis(), w.p99Millis(),
                    w.loginsPerSecond());
        }
    }

    static List<List<String>> csvRows(List<Row> rows) {
        return rows.stream().map(r -> List.of(r.part().id(), Long.toString(r.loginCacheMillis()),
                Integer.toString(r.wave()), Integer.toString(r.result().clients()), Integer.toString(r.result().in()),
                Integer.toString(r.result().failed()), Long.toString(r.result().lastMillis()),
                Long.toString(r.result().p50Millis()), Long.toString(r.result().p99Millis()),
                String.format(Locale.ROOT, "%.1f", r.result().loginsPerSecond()))).toList();
    }
}
