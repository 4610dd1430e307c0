package io.tunnelmq.server.store.journal;

import static io.tunnelmq.server.store.journal.JournalFiles.add;
import static io.tunnelmq.server.store.journal.JournalFiles.annotate;
import static io.tunnelmq.server.store.journal.JournalFiles.await;
import static io.tunnelmq.server.store.journal.JournalFiles.delete;
import static io.tunnelmq.server.store.journal.JournalFiles.options;
import static io.tunnelmq.server.store.journal.JournalFiles.reopen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class JournalTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyDirectoryRecoversNothingAndIsCreatedIfMissing() throws Exception {
        Path nested = dir.resolve("a/b/journal");
        JournalFiles.Recovered recovered = reopen(options(nested).build());
        assertThat(recovered.records).isEmpty();
        assertThat(Files.isDirectory(nested)).isTrue();
    }

    @Test
    void recordsComeBackInAddOrderWithTheirLatestAnnotation() throws Exception {
        JournalOptions options = options(dir).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            await(journal.append(List.of(add(5, "five"))));
            await(journal.append(List.of(add(2, "two"), add(9, "nine"))));
            await(journal.append(List.of(annotate(2, "dc=1"))));
            await(journal.append(List.of(annotate(2, "dc=2"), delete(9))));
            await(journal.append(List.of(add(1, "one"))));
            assertThat(journal.stats().liveRecords()).isEqualTo(3);
        }
        JournalFiles.Recovered recovered = reopen(options);
        assertThat(recovered.describe()).containsExactly("5=five", "2=two/dc=2", "1=one");
        // a second recovery sees the same
        assertThat(reopen(options).describe()).isEqualTo(recovered.describe());
    }

    @Test
    void opsOnRecordsThatAreNotLiveAreIgnored() throws Exception {
        JournalOptions options = options(dir).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            await(journal.append(List.of(delete(4), annotate(8, "x"), add(1, "one"))));
            await(journal.append(List.of(delete(1))));
            await(journal.append(List.of(annotate(1, "late"))));
        }
        assertThat(reopen(options).records).isEmpty();
    }

    @Test
    void aReusedIdComesBackAtItsNewPosition() throws Exception {
        JournalOptions options = options(dir).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            await(journal.append(List.of(add(1, "a"), add(2, "b"))));
            await(journal.append(List.of(delete(1))));
            await(journal.append(List.of(add(1, "a again"))));
        }
        assertThat(reopen(options).describe()).containsExactly("2=b", "1=a again");
    }

    @Test
    void anAddOfALiveIdFailsThatAppendOnly() throws Exception {
        JournalOptions options = options(dir).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            await(journal.append(List.of(add(1, "a"))));
            CompletableFuture<Void> duplicate = journal.append(List.of(add(2, "b"), add(1, "again")));
            CompletableFuture<Void> withinOneRecord = journal.append(List.of(add(3, "c"), add(3, "c")));
            CompletableFuture<Void> fine = journal.append(List.of(add(2, "b")));
            assertThatThrownBy(() -> duplicate.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(JournalException.class)
                    .hasMessageContaining("record 1 is already live");
            assertThatThrownBy(() -> withinOneRecord.get(10, TimeUnit.SECONDS))
                    .hasMessageContaining("record 3 is already live");
            await(fine);
        }
        assertThat(reopen(options).describe()).containsExactly("1=a", "2=b");
    }

    @Test
    void badArgumentsAreRefusedAtOnce() throws Exception {
        try (Journal journal = Journal.open(options(dir).segmentBytes(4096).build(), r -> { })) {
            assertThatThrownBy(() -> journal.append(List.of())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least one op");
            assertThatThrownBy(() -> journal.append(null)).isInstanceOf(NullPointerException.class);
            CompletableFuture<Void> tooBig = journal.append(List.of(new JournalOp.Add(1, new byte[5000])));
            assertThatThrownBy(() -> tooBig.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(JournalException.class)
                    .hasMessageContaining("larger than the journal's maximum of 4064 bytes");
        }
    }

    @Test
    void lazyAppendsCompleteWithoutASyncOfTheirOwnAndSurviveClose() throws Exception {
        JournalOptions options = options(dir).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            long syncsBefore = journal.stats().syncs();
            for (int i = 1; i <= 50; i++) {
                await(journal.appendLazily(List.of(add(i, "lazy" + i))));
            }
            assertThat(journal.stats().syncs()).isEqualTo(syncsBefore);
            assertThat(journal.stats().recordsAppended()).isEqualTo(50);
            await(journal.append(List.of(add(100, "durable"))));
            assertThat(journal.stats().syncs()).isEqualTo(syncsBefore + 1);
        }
        JournalFiles.Recovered recovered = reopen(options);
        assertThat(recovered.ids()).hasSize(51).startsWith(1L, 2L).endsWith(100L);
    }

    @Test
    void segmentsRollAndEveryRecordSurvives() throws Exception {
        JournalOptions options = options(dir).segmentBytes(4096).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 1; i <= 200; i++) {
                futures.add(journal.append(List.of(add(i, "record number " + i + " ".repeat(i % 40)))));
            }
            await(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));
            assertThat(journal.stats().segments()).isGreaterThan(3);
        }
        assertThat(JournalFiles.segmentFiles(dir).size()).isGreaterThan(3);
        JournalFiles.Recovered recovered = reopen(options);
        assertThat(recovered.ids()).hasSize(200);
        for (long i = 1; i <= 200; i++) {
            assertThat(recovered.ids().get((int) i - 1)).isEqualTo(i);
            assertThat(recovered.data(i)).isEqualTo("record number " + i + " ".repeat((int) i % 40));
        }
    }

    @Test
    void closeWritesAndSyncsPendingAppendsAndLaterAppendsFail() throws Exception {
        JournalOptions options = options(dir).build();
        Journal journal = Journal.open(options, r -> { });
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            futures.add(i % 2 == 0 ? journal.append(List.of(add(i, "v" + i)))
                    : journal.appendLazily(List.of(add(i, "v" + i))));
        }
        journal.close();
        journal.close(); // idempotent
        assertThat(Thread.getAllStackTraces().keySet()).as("the writer thread ended")
                .noneMatch(t -> t.getName().equals("tunnelmq-journal"));
        for (CompletableFuture<Void> future : futures) {
            assertThat(future).isCompleted();
            future.get(); // none failed
        }
        CompletableFuture<Void> late = journal.append(List.of(add(1000, "late")));
        assertThatThrownBy(() -> late.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(JournalException.class)
                .hasMessageContaining("is closed");
        assertThat(reopen(options).ids()).hasSize(500);
    }

    @Test
    void reopenAfterCloseAppendsToANewSegmentAndKeepsEverything() throws Exception {
        JournalOptions options = options(dir).build();
        for (int round = 0; round < 3; round++) {
            JournalFiles.Recovered recovered = new JournalFiles.Recovered();
            try (Journal journal = JournalFiles.open(options, recovered)) {
                assertThat(recovered.ids()).hasSize(round);
                await(journal.append(List.of(add(round + 1, "round " + round))));
            }
        }
        assertThat(reopen(options).describe()).containsExactly("1=round 0", "2=round 1", "3=round 2");
    }

    @Test
    void aSecondJournalOnTheSameDirectoryIsRefused() throws Exception {
        JournalOptions options = options(dir).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            assertThatThrownBy(() -> Journal.open(options, r -> { })).isInstanceOf(JournalException.class)
                    .hasMessageContaining("cannot lock the journal directory " + dir)
                    .hasMessageContaining("another broker");
        }
        reopen(options); // free again
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> Journal.open(options(file.resolve("journal")).build(), r -> { }))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("cannot create the journal directory " + file.resolve("journal"));
    }

    @Test
    void aFailingRecoveryCallbackClosesTheJournal() throws Exception {
        JournalOptions options = options(dir).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            await(journal.append(List.of(add(1, "x"))));
        }
        assertThatThrownBy(() -> Journal.open(options, r -> {
            throw new IllegalStateException("store refused");
        })).hasMessage("store refused");
        assertThat(reopen(options).ids()).containsExactly(1L); // lock released, nothing lost
    }

    @Test
    void anAtomicRecordIsAllOrNothing() throws Exception {
        JournalOptions options = options(dir).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            await(journal.append(List.of(add(1, "kept"), add(2, "gone"))));
            await(journal.append(List.of(add(3, "three"), add(4, "four"), delete(2), annotate(1, "dc"))));
        }
        Path segment = JournalFiles.segmentFiles(dir).get(0);
        long size = RecordFormat.SEGMENT_HEADER_BYTES + RecordFormat.encodedSize(List.of(add(1, "kept"),
                add(2, "gone"))) + RecordFormat.encodedSize(List.of(add(3, "three"), add(4, "four"), delete(2),
                annotate(1, "dc")));
        // cut the last (multi-op) record short by one byte: none of its ops may survive
        try (var channel = java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(size - 1);
        }
        assertThat(reopen(options).describe()).containsExactly("1=kept", "2=gone");
    }

    @Test
    void waitingOnAFailedFutureGivesTheJournalException() throws Exception {
        Journal journal = Journal.open(options(dir).build(), r -> { });
        journal.close();
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> journal.appendLazily(List.of(add(1, "x"))).get(1, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(JournalException.class);
    }
}
