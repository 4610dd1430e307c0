package io.tunnelmq.server.store.journal;

import static io.tunnelmq.server.store.journal.JournalFiles.add;
import static io.tunnelmq.server.store.journal.JournalFiles.await;
import static io.tunnelmq.server.store.journal.JournalFiles.options;
import static io.tunnelmq.server.store.journal.JournalFiles.reopen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Write errors fail their appends and the journal goes on; an fsync error stops it; nothing durable is harmed. */
@Timeout(30)
class JournalFailureTest {
    private static final String KIB = "k".repeat(1000);

    @TempDir
    Path dir;
    private final FaultyFileSystem fs = new FaultyFileSystem();

    private JournalOptions.Builder faulty() {
        return options(dir).fileSystem(fs);
    }

    private static Throwable failure(CompletableFuture<Void> future) throws Exception {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the append succeeded");
    }

    @Test
    void aFailedWriteFailsItsAppendsAndTheJournalGoesOn() throws Exception {
        JournalOptions options = faulty().build();
        try (Journal journal = Journal.open(options, r -> { })) {
            await(journal.append(List.of(add(1, "before"))));
            fs.failWrites(true);
            Throwable failed = failure(journal.append(List.of(add(2, "lost"))));
            assertThat(failed).isInstanceOf(JournalException.class)
                    .hasMessageContaining("writing 1 journal records")
                    .hasMessageContaining(JournalFiles.segmentFiles(dir).get(0).getFileName().toString())
                    .hasMessageContaining("Input/output error")
                    .hasMessageContaining("accepts new appends");
            fs.failWrites(false);
            await(journal.append(List.of(add(3, "after"))));
        }
        assertThat(reopen(options(dir).build()).describe()).containsExactly("1=before", "3=after");
    }

    @Test
    void aFullDiskFailsTheAppendsThatDoNotFitAndServesAgainWhenSpaceIsFreed() throws Exception {
        JournalOptions options = faulty().preallocate(false).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            await(journal.append(List.of(add(1, KIB))));
            fs.diskFullAfter(1500); // the next record fits, the one after is cut off half way
            await(journal.append(List.of(add(2, KIB))));
            Throwable full = failure(journal.append(List.of(add(3, KIB))));
            assertThat(full).isInstanceOf(JournalException.class).hasMessageContaining("No space left on device");
            Throwable stillFull = failure(journal.appendLazily(List.of(add(4, KIB))));
            assertThat(stillFull).hasMessageContaining("No space left on device");
            fs.diskSpaceFreed();
            await(journal.append(List.of(add(5, "short"))));
        }
        // the half-written record was cut off: it neither comes back nor hides what came after it
        assertThat(reopen(options(dir).build()).ids()).containsExactly(1L, 2L, 5L);
    }

    @Test
    void aFullDiskWhenANewSegmentIsNeededFailsThoseAppendsOnly() throws Exception {
        JournalOptions options = faulty().segmentBytes(4096).build();
        List<Long> stored = new ArrayList<>();
        try (Journal journal = Journal.open(options, r -> { })) {
            fs.diskFullAfter(0); // preallocated: appends in the segment need no space, the next segment does
            Throwable full = null;
            for (long id = 1; id <= 40 && full == null; id++) {
                CompletableFuture<Void> append = journal.append(List.of(add(id, KIB)));
                try {
                    append.get(10, TimeUnit.SECONDS);
                    stored.add(id);
                } catch (ExecutionException e) {
                    full = e.getCause();
                }
            }
            assertThat(full).isInstanceOf(JournalException.class).hasMessageContaining("cannot start journal segment")
                    .hasMessageContaining("No space left on device");
            fs.diskSpaceFreed();
            await(journal.append(List.of(add(100, KIB))));
            stored.add(100L);
        }
        assertThat(reopen(options(dir).build()).ids()).isEqualTo(stored);
    }

    @Test
    void aFailedFsyncStopsTheJournalAndKeepsWhatWasDurable() throws Exception {
        JournalOptions options = faulty().build();
        Journal journal = Journal.open(options, r -> { });
        await(journal.append(List.of(add(1, "durable"))));
        fs.failForce(true);
        Throwable failed = failure(journal.append(List.of(add(2, "not durable"))));
        assertThat(failed).isInstanceOf(JournalException.class).hasMessageContaining("has failed: fsync of")
                .hasMessageContaining("restart");
        fs.failForce(false);
        // failed for good, even now that fsync would work again, and without touching the disk
        assertThat(failure(journal.append(List.of(add(3, "x"))))).hasMessageContaining("has failed");
        assertThat(failure(journal.appendLazily(List.of(add(4, "x"))))).hasMessageContaining("has failed");
        assertThat(failure(journal.compactNow())).hasMessageContaining("has failed");
        journal.close();
        List<Long> ids = reopen(options(dir).build()).ids();
        assertThat(ids).startsWith(1L).doesNotContain(3L, 4L);
    }
}
