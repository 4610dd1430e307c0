package io.tunnelmq.server.store.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Measures how long the journal takes to open when it holds many live messages (issue 15's target: 1 M messages in
 * under 10 s): writes {@code count} records of one {@code size}-byte Add each (as a persistent send is stored), closes,
 * and times the open (the index) and the replay that hands every message's data back. Run: {@code java -cp
 * jms-server/target/classes:jms-server/target/test-classes:<slf4j-api jar>
 * io.tunnelmq.server.store.journal.JournalRecoveryTime [directory] [count] [size]}.
 */
public final class JournalRecoveryTime {
    private JournalRecoveryTime() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("journal-recovery");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
        JournalOptions options = JournalOptions.builder(directory).build();
        byte[] payload = new byte[size];
        long writeStart = System.nanoTime();
        try (Journal journal = Journal.open(options, r -> { })) {
            CompletableFuture<Void> last = null;
            for (long id = 1; id <= count; id++) {
                last = journal.appendLazily(List.of(new JournalOp.Add(id, payload)));
            }
            last.get(10, TimeUnit.MINUTES);
        }
        double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
        long bytes;
        try (Stream<Path> files = Files.list(directory)) {
            bytes = files.mapToLong(f -> f.toFile().length()).sum();
        }
        AtomicLong recovered = new AtomicLong();
        AtomicLong dataBytes = new AtomicLong();
        long openStart = System.nanoTime();
        try (Journal journal = Journal.open(options)) {
            double indexSeconds = (System.nanoTime() - openStart) / 1e9;
            journal.replay(r -> {
                recovered.incrementAndGet();
                dataBytes.addAndGet(r.data().length);
            });
            double openSeconds = (System.nanoTime() - openStart) / 1e9;
            System.out.printf("wrote %,d records of %,d bytes (%,d MB on disk) in %.1f s; the open recovered %,d"
                    + " (%,d MB of data) in %.2f s (%,.0f records/s; index %.2f s, replay %.2f s)%n", count, size,
                    bytes >> 20, writeSeconds, recovered.get(), dataBytes.get() >> 20, openSeconds,
                    recovered.get() / openSeconds, indexSeconds, openSeconds - indexSeconds);
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
