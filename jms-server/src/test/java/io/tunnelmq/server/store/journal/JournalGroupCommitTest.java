package io.tunnelmq.server.store.journal;

import static io.tunnelmq.server.store.journal.JournalFiles.options;
import static io.tunnelmq.server.store.journal.JournalFiles.reopen;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class JournalGroupCommitTest {
    @TempDir
    Path dir;

    @Test
    void concurrentAppendersShareFsyncsAndEveryFutureCompletes() throws Exception {
        int threads = 8;
        int perThread = 150;
        JournalOptions options = options(dir).segmentBytes(1 << 20).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            long syncsBefore = journal.stats().syncs();
            JournalFiles.fromThreads(threads, base -> {
                for (int i = 0; i < perThread; i++) {
                    // each appender waits for its own record, like a producer's synchronous send
                    journal.append(List.of(new JournalOp.Add(base + i, new byte[1024]))).get(10, TimeUnit.SECONDS);
                }
            });
            JournalStats stats = journal.stats();
            assertThat(stats.recordsAppended()).isEqualTo(threads * perThread);
            assertThat(stats.syncs() - syncsBefore).as("fsyncs for %d durable records", threads * perThread)
                    .isLessThan(threads * perThread);
            assertThat(stats.segments()).isGreaterThan(1); // rolled on the way: ~1.2 MiB in 1 MiB segments
        }
        assertThat(reopen(options).ids()).hasSize(threads * perThread);
    }

    @Test
    void aLoneAppenderIsNotHeldForABatch() throws Exception {
        try (Journal journal = Journal.open(options(dir).build(), r -> { })) {
            for (int i = 1; i <= 50; i++) {
                journal.append(List.of(new JournalOp.Add(i, new byte[100]))).get(10, TimeUnit.SECONDS);
            }
            // one fsync per record: nothing waited to be batched with anything
            assertThat(journal.stats().syncs()).isGreaterThanOrEqualTo(50);
        }
    }

    @Test
    void recordsFromOneThreadKeepTheirOrderAcrossGroups() throws Exception {
        JournalOptions options = options(dir).segmentBytes(64 << 10).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 1; i <= 2000; i++) {
                futures.add(i % 10 == 0 ? journal.append(List.of(JournalFiles.add(i, "v" + i)))
                        : journal.appendLazily(List.of(JournalFiles.add(i, "v" + i))));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        }
        List<Long> ids = reopen(options).ids();
        assertThat(ids).hasSize(2000).isSorted();
    }
}
