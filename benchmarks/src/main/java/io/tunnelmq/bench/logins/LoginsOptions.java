package io.tunnelmq.bench.logins;

import io.tunnelmq.bench.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Options of the {@code logins} command.
 *
 * @param parts        which storms run
 * @param clients      clients of the one-user storm
 * @param loginCaches  the broker's {@code loginCache} for each one-user storm (a fresh broker each)
 * @param waves        clients of each wave of the distinct-users storm, one after another on one fresh broker
 * @param csv          the table as CSV
 * @param workDir      users file, broker data and logs
 * @param brokerHeap   -Xms/-Xmx of each broker JVM
 */
record LoginsOptions(List<Part> parts, int clients, List<Long> loginCaches, List<Integer> waves, Path csv,
                     Path workDir, String brokerHeap) {

    static final String USAGE = """
            logins: clients logging in to a TunnelMQ broker with a users file all at once, as after a broker restart
            (a fresh broker JVM per storm; the clients are threads of this JVM, one connection each, each giving up
            at the factory's 10 s connect timeout):
              one-user:  N clients of one user, once per --login-cache value (a passed check remembered, or not)
              distinct:  waves of clients of users of their own, each wave once the last has opened or given up
              --scenarios LIST     one-user,distinct (both)
              --clients N          clients of the one-user storm (500)
              --login-cache LIST   the broker's loginCache (ms) for each one-user storm (60000,0)
              --waves LIST         clients of each distinct-users wave (1000,100)
              --csv FILE           the table as CSV (benchmarks/target/logins.csv, else ./logins.csv)
              --work DIR           users file, broker data and logs (a new temporary directory)
              --broker-heap SIZE   broker -Xms/-Xmx (1g)
            """;

    /** The two storms. */
    enum Part {
        ONE_USER, DISTINCT;

        String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    static LoginsOptions from(CommandLine line) {
        String csv = line.string("csv", null);
        String work = line.string("work", null);
        int clients = line.integer("clients", 500);
        if (clients < 1) {
            throw new IllegalArgumentException("--clients must be at least 1, not " + clients);
        }
        return new LoginsOptions(CommandLine.enums(line.string("scenarios", "one-user,distinct"), Part.class,
                "scenario", "one-user, distinct"), clients,
                numbers(line.string("login-cache", "60000,0"), "login-cache", 0).stream().toList(),
                numbers(line.string("waves", "1000,100"), "waves", 1).stream().map(Long::intValue).toList(),
                csv != null ? Path.of(csv) : Files.isDirectory(Path.of("benchmarks", "target"))
                        ? Path.of("benchmarks", "target", "logins.csv") : Path.of("logins.csv"),
                work != null ? Path.of(work) : null,
                line.string("broker-heap", "1g"));
    }

    /** The work directory: the one asked for, or a new temporary one. */
    Path work() throws IOException {
        return workDir != null ? workDir : Files.createTempDirectory("tunnelmq-logins-");
    }

    /** Users the storms need: one for the one-user storm, one per client of the distinct waves. */
    int users() {
        return parts.contains(Part.DISTINCT) ? Math.max(1, waves.stream().mapToInt(Integer::intValue).sum()) : 1;
    }

    private static List<Long> numbers(String list, String name, long least) {
        List<Long> numbers = Arrays.stream(list.split(",")).filter(s -> !s.isBlank()).map(s -> {
            try {
                return Long.parseLong(s.trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " takes whole numbers, not '" + s.trim() + "'");
            }
        }).toList();
        if (numbers.isEmpty() || numbers.stream().anyMatch(n -> n < least)) {
            throw new IllegalArgumentException("--" + name + " needs numbers of at least " + least + ", not '" + list
                    + "'");
        }
        return numbers;
    }
}
