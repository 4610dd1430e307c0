package io.tunnelmq.server.store.journal;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.store.journal.JournalFiles.add;
import static io.tunnelmq.server.store.journal.JournalFiles.annotate;
import static io.tunnelmq.server.store.journal.JournalFiles.await;
import static io.tunnelmq.server.store.journal.JournalFiles.delete;
import static io.tunnelmq.server.store.journal.JournalFiles.options;
import static io.tunnelmq.server.store.journal.JournalFiles.reopen;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Space comes back (dead segments deleted, live records compacted) and nothing deleted ever comes back. */
@Timeout(60)
class JournalReclaimTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String BIG = "x".repeat(900); // two per 2 KiB segment

    @TempDir
    Path dir;

    @Test
    void aDeleteOutlivesNoSegmentThatStillHoldsItsAdd() throws Exception {
        JournalOptions options = options(dir).segmentBytes(2048).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            await(journal.append(List.of(add(1, "X" + BIG), add(2, "Y" + BIG)))); // segment A: X and Y
            for (int i = 10; i < 16; i++) {
                await(journal.append(List.of(add(i, BIG))));
            }
            // the Delete of X lands in a segment whose own records all die
            await(journal.append(List.of(add(20, BIG))));
            await(journal.append(List.of(delete(20), delete(1))));
            for (int i = 10; i < 16; i++) {
                await(journal.append(List.of(delete(i))));
            }
            for (int i = 30; i < 36; i++) {
                await(journal.append(List.of(add(i, BIG))));
                await(journal.append(List.of(delete(i))));
            }
            // A (Y is live), the segment with X's Delete (pinned by A), the next one (it deletes record 30,
            // added in the pinned one) and the current one remain; the writer thread removes the dead ones after
            // the last append returned (an append written inline leaves that to it)
            eventually("the dead segments are removed", WAIT, () -> journal.stats().segments() == 4);
            assertThat(journal.stats().segmentsRemoved()).as("dead segments were removed").isGreaterThan(2);
        }
        assertThat(reopen(options).ids()).as("X stays deleted").containsExactly(2L);

        try (Journal journal = Journal.open(options, r -> { })) {
            await(journal.append(List.of(delete(2))));
            await(journal.append(List.of(add(50, BIG))));
            await(journal.append(List.of(add(51, BIG)))); // rolls, so removal runs with A dead
            eventually("A went, then the Delete it pinned", WAIT, () -> journal.stats().segments() <= 2);
        }
        assertThat(reopen(options).ids()).containsExactly(50L, 51L);
    }

    @Test
    void aLiveRecordsLatestAnnotationKeepsItsSegment() throws Exception {
        JournalOptions options = options(dir).segmentBytes(2048).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            await(journal.append(List.of(add(1, "kept"))));
            await(journal.append(List.of(add(2, BIG), annotate(1, "dc=5"))));
            await(journal.append(List.of(add(3, BIG))));
            await(journal.append(List.of(delete(2), delete(3))));
            for (int i = 10; i < 14; i++) {
                await(journal.append(List.of(add(i, BIG))));
                await(journal.append(List.of(delete(i))));
            }
        }
        assertThat(reopen(options).describe()).containsExactly("1=kept/dc=5");
    }

    /** A workload over small segments: records live, die, get annotated, ids get reused. */
    private static List<List<JournalOp>> workload(int count, long seed) {
        Random random = new Random(seed);
        List<List<JournalOp>> records = new ArrayList<>();
        JournalModel model = new JournalModel();
        for (int i = 1; i <= count; i++) {
            List<JournalOp> ops = new ArrayList<>();
            long id = i % 7 == 0 && !model.isLive(i / 7) ? i / 7 : i; // sometimes reuse a dead id
            if (!model.isLive(id)) {
                ops.add(add(id, "r" + i + "-" + "y".repeat(random.nextInt(200))));
            }
            for (int k = 0; k < 2; k++) {
                long victim = 1 + random.nextInt(i);
                if (random.nextInt(10) < 7 && victim != id) {
                    ops.add(delete(victim));
                }
            }
            if (random.nextInt(4) == 0) {
                ops.add(annotate(1 + random.nextInt(i), "a" + i));
            }
            if (ops.isEmpty()) {
                ops.add(delete(id + 1_000_000));
            }
            model.apply(ops);
            records.add(ops);
        }
        return records;
    }

    @Test
    void compactionKeepsExactlyTheLiveRecordsInOrder() throws Exception {
        List<List<JournalOp>> records = workload(400, 5);
        JournalOptions options = options(dir).segmentBytes(4096).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            for (List<JournalOp> ops : records) {
                journal.appendLazily(ops);
            }
            await(journal.append(List.of(delete(9_999_999))));
            int segmentsBefore = journal.stats().segments();
            long bytesBefore = journal.stats().totalBytes();
            await(journal.compactNow());
            JournalStats after = journal.stats();
            assertThat(after.compactions()).isEqualTo(1);
            assertThat(after.segments()).isLessThan(segmentsBefore);
            assertThat(after.totalBytes()).isLessThan(bytesBefore);
            assertThat(after.liveRecords()).isEqualTo(JournalModel.after(records).describe().size());
            // appends go on after a compaction, and deletes of compacted records still apply
            List<Long> live = reopenIdsOf(records);
            await(journal.append(List.of(delete(live.get(0)), add(5_000_000, "after"))));
        }
        JournalModel model = JournalModel.after(records);
        List<Long> live = reopenIdsOf(records);
        model.apply(List.of(delete(live.get(0)), add(5_000_000, "after")));
        assertThat(reopen(options).describe()).isEqualTo(model.describe());
    }

    private static List<Long> reopenIdsOf(List<List<JournalOp>> records) {
        return JournalModel.after(records).describe().stream().map(s -> Long.parseLong(s.substring(0, s.indexOf('='))))
                .toList();
    }

    @Test
    void compactionStartsByItselfWhenFewBytesAreLive() throws Exception {
        JournalOptions options = options(dir).segmentBytes(4096).compactionThreshold(0.5).compactionMinBytes(8192)
                .compactionQuietMillis(0).build();
        JournalModel model = new JournalModel();
        try (Journal journal = Journal.open(options, r -> { })) {
            // every segment keeps one small live record among dead big ones: nothing can just be deleted
            for (int i = 1; i <= 60; i++) {
                List<JournalOp> ops = List.of(add(i * 10L, "keep" + i), add(i * 10L + 1, BIG));
                List<JournalOp> kill = List.of(delete(i * 10L + 1));
                model.apply(ops);
                model.apply(kill);
                await(journal.append(ops));
                await(journal.append(kill));
            }
            eventually("compactions shrink the journal", WAIT,
                    () -> journal.stats().compactions() > 0 && journal.stats().segments() < 10);
            assertThat(journal.stats().longestCompactionMillis()).isLessThan(TimeUnit.SECONDS.toMillis(5));
        }
        assertThat(reopen(options).describe()).isEqualTo(model.describe());
    }

    @Test
    void segmentsThatKeepLosingRecordsAreNotCompacted() throws Exception {
        // as above, but every segment lost a record moments ago: a backlog being drained, which empties its segments
        // whole, so copying their live rest would rewrite what is about to die
        JournalOptions options = options(dir).segmentBytes(4096).compactionThreshold(0.5).compactionMinBytes(8192)
                .compactionQuietMillis(TimeUnit.HOURS.toMillis(1)).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            for (int i = 1; i <= 60; i++) {
                await(journal.append(List.of(add(i * 10L, "keep" + i), add(i * 10L + 1, BIG))));
                await(journal.append(List.of(delete(i * 10L + 1))));
            }
            assertThat(journal.stats().compactions()).isZero();
        }
    }

    @Test
    void appendsGoOnWhileACompactionCopiesAndItsDeletesStillCount() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        JournalOptions options = options(dir).segmentBytes(2048).fileSystem(fs).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            await(journal.append(List.of(add(1, "X"), add(2, "Y"), add(3, BIG))));
            await(journal.append(List.of(add(4, BIG), delete(3))));
            await(journal.append(List.of(add(5, BIG), delete(4))));
            await(journal.append(List.of(add(6, BIG), delete(5))));
            // X and Y sealed in the first, then the current
            eventually("the dead segments are removed", WAIT, () -> journal.stats().segments() == 2);

            fs.compactionGate = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CompletableFuture<Void> compaction = journal.compactNow();
            assertThat(fs.compactionWaiting.await(10, TimeUnit.SECONDS)).isTrue();
            // the copy is under way (held at its first step): appends are not held up by it
            await(journal.append(List.of(delete(1), annotate(2, "dc=3"), add(7, "Z"))));
            assertThat(compaction).isNotDone();
            fs.compactionGate.countDown();
            await(compaction);
            assertThat(journal.stats().compactions()).isEqualTo(1);

            // the segment with X's Delete loses its own records and is sealed: it must stay while the compacted
            // file holds X's copy
            await(journal.append(List.of(delete(7), delete(6))));
            for (int i = 10; i < 16; i++) {
                await(journal.append(List.of(add(i, BIG))));
                await(journal.append(List.of(delete(i), annotate(2, "dc=" + i))));
            }
        }
        assertThat(reopen(options(dir).segmentBytes(2048).build()).describe()).containsExactly("2=Y/dc=15");
    }

    @Test
    void aSegmentThatDiesWhileItIsCopiedStaysUntilTheCopyIsIn() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        JournalOptions options = options(dir).segmentBytes(2048).fileSystem(fs).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            await(journal.append(List.of(add(1, "X"), add(2, BIG))));
            await(journal.append(List.of(add(3, BIG + "x".repeat(200))))); // does not fit after 1 and 2
            await(journal.append(List.of(add(4, BIG))));
            await(journal.append(List.of(add(5, BIG))));
            assertThat(journal.stats().segments()).isEqualTo(3); // [1, 2] [3, 4] [5]

            fs.compactionGate = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CompletableFuture<Void> compaction = journal.compactNow();
            assertThat(fs.compactionWaiting.await(10, TimeUnit.SECONDS)).isTrue();
            // the second segment (3 and 4) dies while the copy waits to read it
            await(journal.append(List.of(delete(3), delete(4))));
            fs.compactionGate.countDown();
            await(compaction);
        }
        assertThat(reopen(options(dir).segmentBytes(2048).build()).ids()).containsExactly(1L, 2L, 5L);
    }

    @Test
    void backgroundCompactionsDuringAStreamOfAppendsLoseAndResurrectNothing() throws Exception {
        List<List<JournalOp>> records = workload(4000, 21);
        JournalOptions options = options(dir).segmentBytes(4096).compactionThreshold(0.6).compactionMinBytes(4096).compactionQuietMillis(0)
                .build();
        long compactions;
        try (Journal journal = Journal.open(options, r -> { })) {
            List<java.util.concurrent.CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                futures.add(i % 25 == 0 ? journal.append(records.get(i)) : journal.appendLazily(records.get(i)));
                if (i % 100 == 0) {
                    await(futures.get(i)); // let the writer catch up now and then so compactions overlap appends
                }
            }
            await(java.util.concurrent.CompletableFuture.allOf(
                    futures.toArray(java.util.concurrent.CompletableFuture[]::new)));
            compactions = journal.stats().compactions();
            assertThat(journal.stats().liveRecords()).isEqualTo(JournalModel.after(records).describe().size());
        }
        assertThat(compactions).as("compactions ran").isGreaterThan(3);
        assertThat(reopen(options).describe()).isEqualTo(JournalModel.after(records).describe());
    }

    @Test
    void aCrashAtAnyStepOfACompactionRecoversTheSameRecords() throws Exception {
        List<List<JournalOp>> records = workload(150, 9);
        List<String> expected = JournalModel.after(records).describe();
        boolean completed = false;
        for (int step = 0; !completed; step++) {
            assertThat(step).as("compaction never finished").isLessThan(200);
            Path journalDir = dir.resolve("step" + step);
            FaultyFileSystem fs = new FaultyFileSystem();
            JournalOptions faulty = options(journalDir).segmentBytes(4096).fileSystem(fs).build();
            Journal journal = Journal.open(faulty, r -> { });
            for (List<JournalOp> ops : records) {
                journal.appendLazily(ops);
            }
            await(journal.append(List.of(delete(9_999_999))));
            fs.crashAfter(step);
            try {
                journal.compactNow().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the simulated crash
            }
            completed = !fs.crashed();
            journal.close(); // the crashed file system lets nothing more reach the disk

            JournalOptions options = options(journalDir).segmentBytes(4096).build();
            assertThat(reopen(options).describe()).as("crash before mutation %d of the compaction", step)
                    .isEqualTo(expected);
            assertThat(reopen(options).describe()).isEqualTo(expected);
        }
    }
}
