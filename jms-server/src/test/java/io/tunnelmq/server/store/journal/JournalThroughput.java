package io.tunnelmq.server.store.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Measures durable appends of 1 KiB per second: one sequential appender (append, wait, append) and N concurrent
 * ones. Run: {@code java -cp jms-server/target/classes:jms-server/target/test-classes:<slf4j-api jar>
 * io.tunnelmq.server.store.journal.JournalThroughput [directory] [seconds] [appenders]}.
 */
public final class JournalThroughput {
    private JournalThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path base = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("journal-throughput");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int appenders = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Files.createDirectories(base);
        System.out.printf("baseline: write 1 KiB + fdatasync, preallocated file: %.0f us; growing file: %.0f us%n",
                rawFsyncMicros(base.resolve("raw-pre"), true), rawFsyncMicros(base.resolve("raw-grow"), false));
        run(base.resolve("warmup"), 1, 1);
        double one = run(base.resolve("sequential"), 1, seconds);
        double many = run(base.resolve("concurrent"), appenders, seconds);
        compactionPause(base.resolve("compaction"));
        System.out.printf("1 sequential appender:  %,.0f durable 1 KiB appends/s%n", one);
        System.out.printf("%d concurrent appenders: %,.0f durable 1 KiB appends/s%n", appenders, many);
        deleteTree(base);
    }

    private static double run(Path directory, int appenders, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong ids = new AtomicLong();
        byte[] payload = new byte[1024];
        long syncs;
        try (Journal journal = Journal.open(JournalOptions.builder(directory).build(), r -> { })) {
            long syncsBefore = journal.stats().syncs();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < appenders; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        while (System.nanoTime() < deadline) {
                            long id = ids.incrementAndGet();
                            journal.append(List.of(new JournalOp.Add(id, payload))).get(10, TimeUnit.SECONDS);
                            // delete it lazily, as a consumer would, so the journal reclaims space meanwhile
                            journal.appendLazily(List.of(new JournalOp.Delete(id)));
                            done.incrementAndGet();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                thread.start();
                threads.add(thread);
            }
            long started = System.nanoTime();
            for (Thread thread : threads) {
                thread.join();
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            JournalStats stats = journal.stats();
            syncs = stats.syncs() - syncsBefore;
            System.out.printf("  %d appender(s): %d appends in %.1f s, %d fsyncs (%.2f appends per fsync), stats %s%n",
                    appenders, done.get(), elapsed, syncs, done.get() / (double) Math.max(1, syncs), stats);
            return done.get() / elapsed;
        }
    }

    /**
     * Fills two default (32 MiB) segments with 1 KiB records of which 30% stay live, then compacts them and
     * prints how long appends were held up.
     */
    static void compactionPause(Path directory) throws Exception {
        byte[] payload = new byte[1024];
        try (Journal journal = Journal.open(JournalOptions.builder(directory).compactionThreshold(0).build(),
                r -> { })) {
            int records = 70_000;
            for (int id = 1; id <= records; id++) {
                journal.appendLazily(List.of(new JournalOp.Add(id, payload)));
                if (id % 10 >= 3) {
                    journal.appendLazily(List.of(new JournalOp.Delete(id)));
                }
            }
            journal.append(List.of(new JournalOp.Delete(Integer.MAX_VALUE))).get(60, TimeUnit.SECONDS);
            JournalStats before = journal.stats();
            long started = System.nanoTime();
            journal.compactNow().get(60, TimeUnit.SECONDS);
            long probe = System.nanoTime();
            journal.append(List.of(new JournalOp.Delete(Integer.MAX_VALUE))).get(60, TimeUnit.SECONDS);
            JournalStats after = journal.stats();
            System.out.printf("compaction: %d -> %d segments, %,d -> %,d bytes, %,d live records: writer busy %d ms"
                    + " (an append right after waited %.1f ms)%n", before.segments(), after.segments(),
                    before.totalBytes(), after.totalBytes(), after.liveRecords(), after.longestCompactionMillis(),
                    (System.nanoTime() - probe) / 1e6);
        }
    }

    /** What one write + fdatasync costs on this disk without the journal, to judge the figures against. */
    private static double rawFsyncMicros(Path file, boolean preallocated) throws Exception {
        int count = 2000;
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            if (preallocated) {
                java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocate(1 << 20);
                for (int i = 0; i < 4; i++) {
                    zeros.clear();
                    channel.write(zeros, (long) i << 20);
                }
                channel.force(true);
            }
            java.nio.ByteBuffer record = java.nio.ByteBuffer.allocate(1024);
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                record.clear();
                channel.write(record, (long) i * 1024);
                channel.force(false);
            }
            return (System.nanoTime() - started) / 1e3 / count;
        }
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
