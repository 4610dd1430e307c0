package io.tunnelmq.server.store.journal;

import static io.tunnelmq.server.store.journal.JournalFiles.add;
import static io.tunnelmq.server.store.journal.JournalFiles.annotate;
import static io.tunnelmq.server.store.journal.JournalFiles.await;
import static io.tunnelmq.server.store.journal.JournalFiles.bytes;
import static io.tunnelmq.server.store.journal.JournalFiles.delete;
import static io.tunnelmq.server.store.journal.JournalFiles.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Records read back by id (paging) and replayed after open a batch at a time (recovery). */
@Timeout(60)
class JournalReadTest {
    @TempDir
    Path dir;

    private static byte[][] read(Journal journal, long... ids) throws Exception {
        return journal.read(ids).get(10, TimeUnit.SECONDS);
    }

    private static List<String> texts(byte[][] data) {
        List<String> texts = new ArrayList<>();
        for (byte[] d : data) {
            texts.add(d == null ? null : new String(d, StandardCharsets.UTF_8));
        }
        return texts;
    }

    private static String text(long id, int size) {
        String head = "record " + id + " ";
        return head + "x".repeat(Math.max(0, size - head.length()));
    }

    @Test
    void readsLiveRecordsInTheOrderAskedAndNullForDeletedOrUnknownIds() throws Exception {
        try (Journal journal = Journal.open(options(dir).build())) {
            await(journal.append(List.of(add(1, "one"), add(2, "two"))));
            await(journal.appendLazily(List.of(add(3, "three"), annotate(1, "dc=2"), delete(2))));
            assertThat(texts(read(journal, 3, 2, 99, 1, 3))).containsExactly("three", null, null, "one", "three");
            assertThat(read(journal)).isEmpty();
        }
    }

    @Test
    void readsAcrossSegmentsAndAfterACompactionMovedTheRecords() throws Exception {
        JournalOptions options = options(dir).segmentBytes(4096).build();
        try (Journal journal = Journal.open(options)) {
            for (long id = 1; id <= 60; id++) {
                await(journal.append(List.of(add(id, text(id, 300)))));
            }
            for (long id = 1; id <= 60; id += 2) {
                await(journal.append(List.of(delete(id))));
            }
            long[] ids = new long[62];
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 62; i++) {
                ids[i] = 61 - i; // newest first: the reads are sorted by segment and position, the answer is not
                expected.add(ids[i] % 2 == 0 && ids[i] >= 1 ? text(ids[i], 300) : null);
            }
            assertThat(journal.stats().segments()).as("the records span segments").isGreaterThan(4);
            assertThat(texts(read(journal, ids))).isEqualTo(expected);

            List<Path> before = JournalFiles.segmentFiles(dir);
            journal.compactNow().get(10, TimeUnit.SECONDS);
            assertThat(journal.stats().compactions()).isEqualTo(1);
            assertThat(JournalFiles.segmentFiles(dir)).as("the records were moved into fewer files")
                    .hasSizeLessThan(before.size());
            assertThat(texts(read(journal, ids))).isEqualTo(expected);
        }
    }

    @Test
    void aLargeRequestIsReadInSlicesAndComesBackWhole() throws Exception {
        int big = 1 << 20;
        try (Journal journal = Journal.open(options(dir).build())) {
            int count = ReadRequest.MAX_IDS * 2 + 10;
            for (long id = 1; id <= count; id++) {
                journal.appendLazily(List.of(add(id, "r" + id)));
            }
            for (long id = count + 1; id <= count + 6; id++) {
                await(journal.append(List.of(add(id, text(id, big))))); // 6 MiB: more than one slice holds
            }
            long[] ids = new long[count + 6];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i + 1;
            }
            List<String> got = texts(read(journal, ids));
            for (int i = 0; i < count; i++) {
                assertThat(got.get(i)).isEqualTo("r" + (i + 1));
            }
            for (int i = count; i < ids.length; i++) {
                assertThat(got.get(i)).isEqualTo(text(i + 1, big));
            }
        }
    }

    @Test
    void readsStayRightWhileAppendsDeletesAndCompactionsRun() throws Exception {
        // small segments that compact early: the records read are moved while the reads go on
        JournalOptions options = JournalOptions.builder(dir).segmentBytes(8192).compactionThreshold(0.5).compactionQuietMillis(0)
                .compactionMinBytes(8192).build();
        try (Journal journal = Journal.open(options)) {
            long[] stable = new long[40];
            for (int i = 0; i < stable.length; i++) {
                stable[i] = i + 1;
                await(journal.append(List.of(add(i + 1, text(i + 1, 100)))));
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong lastAdded = new AtomicLong();
            Thread appender = new Thread(() -> {
                try {
                    for (long id = 1000; id < 4000; id++) {
                        await(journal.append(List.of(add(id, text(id, 200)))));
                        lastAdded.set(id);
                        if (id > 1010) {
                            journal.appendLazily(List.of(delete(id - 10)));
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "appender");
            appender.start();
            int rounds = 0;
            while (appender.isAlive() || rounds < 20) {
                long added = lastAdded.get();
                long[] ids = Arrays.copyOf(stable, stable.length + 1);
                ids[stable.length] = added;
                List<String> got = texts(read(journal, ids));
                for (int i = 0; i < stable.length; i++) {
                    assertThat(got.get(i)).isEqualTo(text(stable[i], 100));
                }
                if (added > 0) {
                    // its append completed and it dies only ten appends later: it may be gone, never wrong
                    assertThat(got.get(stable.length)).isIn(text(added, 200), null);
                }
                rounds++;
            }
            appender.join();
            assertThat(failure.get()).isNull();
            assertThat(journal.stats().compactions()).as("compactions ran meanwhile").isPositive();
            // the last lazy delete (of 3989) may still be queued: an append waited for is written after it
            await(journal.append(List.of(add(5000, text(5000, 10)))));
            assertThat(texts(read(journal, 3999, 3989, 3990))).containsExactly(text(3999, 200), null,
                    text(3990, 200));
        }
    }

    @Test
    void aReadOfAClosedJournalFailsWithAJournalException() throws Exception {
        Journal journal = Journal.open(options(dir).build());
        journal.close();
        assertThatThrownBy(() -> read(journal, 1)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(JournalException.class).hasMessageContaining(dir.toString());
    }

    @Test
    void replayHandsRecordsOverAsTheyAreReadNotAfterReadingThemAll() throws Exception {
        CountingFileSystem fs = new CountingFileSystem();
        JournalOptions options = options(dir).fileSystem(fs).build();
        int records = 64;
        int size = 256 << 10; // 16 MiB in all: four replay batches
        try (Journal journal = Journal.open(options)) {
            for (long id = 1; id <= records; id++) {
                journal.appendLazily(List.of(add(id, text(id, size))));
            }
        }
        try (Journal journal = Journal.open(options)) {
            fs.bytesRead.set(0); // the open read every segment to rebuild the index; count the replay only
            List<Long> seen = new ArrayList<>();
            AtomicLong readWhenFirstSeen = new AtomicLong(-1);
            journal.replay(r -> {
                if (seen.isEmpty()) {
                    readWhenFirstSeen.set(fs.bytesRead.get());
                }
                assertThat(new String(r.data(), StandardCharsets.UTF_8)).isEqualTo(text(r.id(), size));
                seen.add(r.id());
            });
            assertThat(seen).hasSize(records).isSorted();
            long total = (long) records * size;
            assertThat(fs.bytesRead.get()).as("everything was read in the end").isGreaterThanOrEqualTo(total);
            // the batch handed over and the next one read ahead, plus record headers and a read run past a batch's end
            // (seen: 8,389,128 bytes against 2 batches of 8,388,608): still far from the 16 MiB of the whole journal
            assertThat(readWhenFirstSeen.get()).as("the first record came before the rest was read")
                    .isPositive().isLessThanOrEqualTo(3L * Replay.BATCH_BYTES).isLessThan(total);
        }
    }

    @Test
    void theReplayConsumerMayAppendAndWaitForItsAppends() throws Exception {
        JournalOptions options = options(dir).build();
        try (Journal journal = Journal.open(options)) {
            for (long id = 1; id <= 5; id++) {
                await(journal.append(List.of(add(id, "r" + id))));
            }
        }
        List<Long> seen = new ArrayList<>();
        try (Journal journal = Journal.open(options)) {
            journal.replay(r -> {
                seen.add(r.id());
                try {
                    // a durable append from inside the replay completes: the writer is not blocked by it
                    journal.append(List.of(add(100 + r.id(), "new"))).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(seen).as("records live at open, in Add order; not the ones added meanwhile")
                    .containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThatThrownBy(() -> journal.replay(r -> { })).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already replayed");
            assertThat(texts(read(journal, 101, 105))).containsExactly("new", "new");
        }
    }

    @Test
    void aRecordDeletedBeforeTheReplayReachesItIsNotHandedOver() throws Exception {
        JournalOptions options = options(dir).build();
        try (Journal journal = Journal.open(options)) {
            await(journal.append(List.of(add(1, "one"), add(2, "two"), add(3, "three"))));
        }
        try (Journal journal = Journal.open(options)) {
            await(journal.append(List.of(delete(2))));
            List<Long> seen = new ArrayList<>();
            journal.replay(r -> seen.add(r.id()));
            assertThat(seen).containsExactly(1L, 3L);
        }
    }

    /** The real file system, counting the bytes read. */
    private static final class CountingFileSystem implements JournalFileSystem {
        private final JournalFileSystem disk = DiskFileSystem.INSTANCE;
        final AtomicLong bytesRead = new AtomicLong();

        @Override
        public void createDirectories(Path directory) throws java.io.IOException {
            disk.createDirectories(directory);
        }

        @Override
        public List<Path> list(Path directory) throws java.io.IOException {
            return disk.list(directory);
        }

        @Override
        public JournalFile open(Path file, boolean create) throws java.io.IOException {
            JournalFile opened = disk.open(file, create);
            return new JournalFile() {
                @Override
                public void write(ByteBuffer source, long position) throws java.io.IOException {
                    opened.write(source, position);
                }

                @Override
                public int read(ByteBuffer target, long position) throws java.io.IOException {
                    int n = opened.read(target, position);
                    bytesRead.addAndGet(n);
                    return n;
                }

                @Override
                public long size() throws java.io.IOException {
                    return opened.size();
                }

                @Override
                public void truncate(long size) throws java.io.IOException {
                    opened.truncate(size);
                }

                @Override
                public void force() throws java.io.IOException {
                    opened.force();
                }

                @Override
                public void close() throws java.io.IOException {
                    opened.close();
                }
            };
        }

        @Override
        public void move(Path source, Path target) throws java.io.IOException {
            disk.move(source, target);
        }

        @Override
        public void delete(Path file) throws java.io.IOException {
            disk.delete(file);
        }

        @Override
        public void syncDirectory(Path directory) throws java.io.IOException {
            disk.syncDirectory(directory);
        }

        @Override
        public AutoCloseable lock(Path lockFile) throws java.io.IOException {
            return disk.lock(lockFile);
        }
    }
}
