package io.tunnelmq.server.store.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Helpers for journal tests: open and collect what recovery found, make ops, wait for futures. */
final class JournalFiles {
    private JournalFiles() {
    }

    /** What a recovery handed back, in order. */
    static final class Recovered {
        final Map<Long, RecoveredRecord> records = new LinkedHashMap<>();

        void add(RecoveredRecord record) {
            assertThat(records.put(record.id(), record)).as("record %d recovered twice", record.id()).isNull();
        }

        List<Long> ids() {
            return new ArrayList<>(records.keySet());
        }

        String data(long id) {
            return new String(records.get(id).data(), StandardCharsets.UTF_8);
        }

        /** id=data[/annotation] in order, to compare two recoveries. */
        List<String> describe() {
            return records.values().stream().map(r -> r.id() + "=" + new String(r.data(), StandardCharsets.UTF_8)
                    + (r.annotation() == null ? "" : "/" + new String(r.annotation(), StandardCharsets.UTF_8)))
                    .collect(Collectors.toList());
        }
    }

    static JournalOptions.Builder options(Path directory) {
        return JournalOptions.builder(directory).compactionThreshold(0);
    }

    static Journal open(JournalOptions options, Recovered into) throws JournalException {
        return Journal.open(options, into::add);
    }

    static Recovered reopen(JournalOptions options) throws JournalException {
        Recovered recovered = new Recovered();
        open(options, recovered).close();
        return recovered;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static JournalOp add(long id, String data) {
        return new JournalOp.Add(id, bytes(data));
    }

    static JournalOp annotate(long id, String annotation) {
        return new JournalOp.Annotate(id, bytes(annotation));
    }

    static JournalOp delete(long id) {
        return new JournalOp.Delete(id);
    }

    static void await(CompletableFuture<?> future) throws Exception {
        future.get(10, TimeUnit.SECONDS);
    }

    static List<Path> segmentFiles(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> Segment.sequenceOf(p.getFileName().toString()) > 0)
                    .sorted((a, b) -> Long.compare(Segment.sequenceOf(a.getFileName().toString()),
                            Segment.sequenceOf(b.getFileName().toString())))
                    .collect(Collectors.toList());
        }
    }

    /** What one of {@link #fromThreads}'s threads does; {@code base} is its own id range, (thread + 1) * 100,000. */
    interface Appender {
        void append(long base) throws Exception;
    }

    /** Runs {@code appender} on {@code threads} threads started together, and waits for all of them (30 s). */
    static void fromThreads(int threads, Appender appender) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long base = (t + 1) * 100_000L;
                done.add(pool.submit(() -> {
                    start.await();
                    appender.append(base);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
