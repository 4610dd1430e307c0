package io.tunnelmq.server.store.journal;

import static io.tunnelmq.server.store.journal.JournalFiles.add;
import static io.tunnelmq.server.store.journal.JournalFiles.annotate;
import static io.tunnelmq.server.store.journal.JournalFiles.await;
import static io.tunnelmq.server.store.journal.JournalFiles.delete;
import static io.tunnelmq.server.store.journal.JournalFiles.options;
import static io.tunnelmq.server.store.journal.JournalFiles.reopen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class JournalRecoveryTest {
    @TempDir
    Path dir;

    /** Records with adds, annotates and deletes of earlier ones, of varied sizes. */
    private static List<List<JournalOp>> records(int count, long seed) {
        Random random = new Random(seed);
        List<List<JournalOp>> records = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            List<JournalOp> ops = new ArrayList<>();
            ops.add(add(i, "r" + i + "-" + "x".repeat(random.nextInt(300))));
            if (i > 2 && random.nextInt(3) == 0) {
                ops.add(delete(i - 2));
            }
            if (i > 1 && random.nextBoolean()) {
                ops.add(annotate(i - 1, "dc" + random.nextInt(9)));
            }
            records.add(ops);
        }
        return records;
    }

    /** Appends the records lazily and closes the journal; fails naming a record that was not written. */
    private static void write(JournalOptions options, List<List<JournalOp>> records) throws Exception {
        List<CompletableFuture<Void>> written = new ArrayList<>();
        try (Journal journal = Journal.open(options, r -> { })) {
            for (List<JournalOp> ops : records) {
                written.add(journal.appendLazily(ops));
            }
        }
        for (int i = 0; i < written.size(); i++) {
            assertThat(written.get(i)).as("record %d of %d after close", i + 1, written.size())
                    .succeedsWithin(Duration.ofSeconds(10));
        }
    }

    @Test
    void aTornTailAtAnyOffsetLosesOnlyTheTornRecord() throws Exception {
        List<List<JournalOp>> records = records(40, 7);
        Path original = dir.resolve("original");
        write(options(original).segmentBytes(64 << 10).build(), records);
        Path segment = JournalFiles.segmentFiles(original).get(0);
        long[] ends = new long[records.size()];
        long end = RecordFormat.SEGMENT_HEADER_BYTES;
        for (int i = 0; i < records.size(); i++) {
            end += RecordFormat.encodedSize(records.get(i));
            ends[i] = end;
        }
        // a closed journal's segment holds every record written, and nothing after them (its preallocated room is trimmed)
        assertThat(Files.size(segment)).as("the closed segment's length").isEqualTo(end);
        Random random = new Random(11);
        for (int round = 0; round < 50; round++) {
            long cut = RecordFormat.SEGMENT_HEADER_BYTES + random.nextInt((int) (end - RecordFormat.SEGMENT_HEADER_BYTES));
            boolean zeroFilled = round % 2 == 0; // a preallocated file keeps its zeros; a growing file just ends
            Path copy = dir.resolve("round" + round);
            Files.createDirectories(copy);
            Path torn = copy.resolve(segment.getFileName());
            Files.copy(segment, torn);
            try (FileChannel channel = FileChannel.open(torn, StandardOpenOption.WRITE)) {
                if (zeroFilled) {
                    // what a crash leaves in a preallocated segment: zeros from the tear to the segment's end
                    channel.write(ByteBuffer.allocate((64 << 10) - (int) cut), cut);
                } else {
                    channel.truncate(cut);
                }
            }
            int complete = 0;
            while (complete < ends.length && ends[complete] <= cut) {
                complete++;
            }
            List<String> expected = JournalModel.after(records.subList(0, complete)).describe();
            JournalOptions options = options(copy).segmentBytes(64 << 10).build();

            JournalFiles.Recovered recovered = new JournalFiles.Recovered();
            try (Journal journal = JournalFiles.open(options, recovered)) {
                assertThat(recovered.describe()).as("cut at %d (%s)", cut, zeroFilled ? "zeros" : "truncated")
                        .isEqualTo(expected);
                await(journal.append(List.of(add(1000, "after"))));
            }
            List<String> withAppend = new ArrayList<>(expected);
            withAppend.add("1000=after");
            assertThat(reopen(options).describe()).as("second recovery after cut at %d", cut).isEqualTo(withAppend);
        }
    }

    @Test
    void aDamagedRecordWithCompleteRecordsAfterItIsCorruption() throws Exception {
        List<List<JournalOp>> records = records(10, 3);
        JournalOptions options = options(dir).build();
        write(options, records);
        long third = RecordFormat.SEGMENT_HEADER_BYTES + RecordFormat.encodedSize(records.get(0))
                + RecordFormat.encodedSize(records.get(1));
        Path segment = JournalFiles.segmentFiles(dir).get(0);
        flipByte(segment, third + RecordFormat.RECORD_HEADER_BYTES + 6);

        assertThatThrownBy(() -> reopen(options)).isInstanceOf(JournalException.class)
                .hasMessageContaining("journal segment " + segment + " is corrupt at offset " + third)
                .hasMessageContaining("record checksum")
                .hasMessageContaining("a complete record follows at offset "
                        + (third + RecordFormat.encodedSize(records.get(2))));
        // still refused the second time: nothing was silently cut off
        assertThatThrownBy(() -> reopen(options)).isInstanceOf(JournalException.class);
    }

    @Test
    void aDamagedLengthInTheMiddleIsCorruptionToo() throws Exception {
        List<List<JournalOp>> records = records(10, 4);
        JournalOptions options = options(dir).build();
        write(options, records);
        long second = RecordFormat.SEGMENT_HEADER_BYTES + RecordFormat.encodedSize(records.get(0));
        flipByte(JournalFiles.segmentFiles(dir).get(0), second);
        assertThatThrownBy(() -> reopen(options)).isInstanceOf(JournalException.class)
                .hasMessageContaining("is corrupt at offset " + second);
    }

    @Test
    void aDamagedLastRecordOfAnEarlierSegmentIsCorruption() throws Exception {
        JournalOptions options = options(dir).build();
        write(options, List.of(List.of(add(1, "one")), List.of(add(2, "two"))));
        write(options, List.of(List.of(add(3, "three")))); // reopen: continues in segment 2
        Path first = JournalFiles.segmentFiles(dir).get(0);
        flipByte(first, Files.size(first) - 1);
        assertThatThrownBy(() -> reopen(options)).isInstanceOf(JournalException.class)
                .hasMessageContaining(first.toString()).hasMessageContaining("not the last segment");
    }

    @Test
    void aZeroFilledTailIsTheEndOfTheData() throws Exception {
        JournalOptions options = options(dir).segmentBytes(1 << 20).build();
        write(options, List.of(List.of(add(1, "one")), List.of(add(2, "two"))));
        Path segment = JournalFiles.segmentFiles(dir).get(0);
        assertThat(Files.size(segment)).as("close trims the preallocated room").isLessThan(100);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            // what a crash leaves: the rest of the preallocated segment, zero-filled
            channel.write(ByteBuffer.allocate((1 << 20) - (int) channel.size()), channel.size());
        }
        assertThat(reopen(options).describe()).containsExactly("1=one", "2=two");
        assertThat(Files.size(segment)).isLessThan(100); // sealed: the zero tail was cut
    }

    @Test
    void strayFilesAreIgnoredAndLeftoversDeleted() throws Exception {
        JournalOptions options = options(dir).build();
        write(options, List.of(List.of(add(1, "one"))));
        Files.writeString(dir.resolve("notes.txt"), "an operator's notes");
        Files.writeString(dir.resolve("journal-7.tmj.prealloc"), "half prepared");
        Files.writeString(dir.resolve("journal-1.tmj.compact"), "half compacted");

        assertThat(reopen(options).describe()).containsExactly("1=one");
        assertThat(dir.resolve("notes.txt")).exists();
        assertThat(dir.resolve("journal-7.tmj.prealloc")).doesNotExist();
        assertThat(dir.resolve("journal-1.tmj.compact")).doesNotExist();
    }

    @Test
    void aSegmentWithABadHeaderIsAClearError() throws Exception {
        JournalOptions options = options(dir).build();
        write(options, List.of(List.of(add(1, "one"))));
        Files.writeString(dir.resolve("journal-5.tmj"), "this is not a segment, but it is long enough to read");
        assertThatThrownBy(() -> reopen(options)).isInstanceOf(JournalException.class)
                .hasMessageContaining(dir.resolve("journal-5.tmj") + " has a bad header: bad magic");

        Files.delete(dir.resolve("journal-5.tmj"));
        Path only = JournalFiles.segmentFiles(dir).get(0);
        Files.copy(only, dir.resolve("journal-9.tmj"));
        assertThatThrownBy(() -> reopen(options)).isInstanceOf(JournalException.class)
                .hasMessageContaining("names sequence " + Segment.sequenceOf(only.getFileName().toString())
                        + " but the file name says 9");
    }

    @Test
    void emptySegmentsLeftByRestartsAreRemoved() throws Exception {
        JournalOptions options = options(dir).build();
        for (int i = 0; i < 5; i++) {
            reopen(options);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".tmj")).count()).isLessThanOrEqualTo(2);
        }
    }

    private static void flipByte(Path file, long position) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x40)).rewind();
            channel.write(one, position);
        }
    }
}
