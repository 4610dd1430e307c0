package io.tunnelmq.server.store.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static io.tunnelmq.server.store.journal.JournalFiles.add;
import static io.tunnelmq.server.store.journal.JournalFiles.options;
import static io.tunnelmq.server.store.journal.JournalFiles.reopen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A damaged journal — a flipped byte mid-file, a zeroed block, a truncated segment, a bad header — is refused with a
 * message that says where and what to do; opened with salvage it keeps every record that verifies, rewrites the
 * segment without the damage, moves the damaged file aside, and opens normally from then on.
 */
@Timeout(60)
class JournalSalvageTest {
    private static final int RECORDS = 20;

    @TempDir
    Path dir;

    /** Record i (1-based) adds id i: every record holds one message, so what is lost is exactly what was skipped. */
    private long write(JournalOptions options, long firstId, int count) throws Exception {
        try (Journal journal = Journal.open(options, r -> { })) {
            for (long id = firstId; id < firstId + count; id++) {
                journal.appendLazily(List.of(add(id, "message-" + id + "-" + "x".repeat((int) (id * 7 % 200)))));
            }
        }
        return firstId + count;
    }

    private static long offsetOf(long id) {
        long at = RecordFormat.SEGMENT_HEADER_BYTES;
        for (long i = 1; i < id; i++) {
            at += RecordFormat.encodedSize(List.of(add(i, "message-" + i + "-" + "x".repeat((int) (i * 7 % 200)))));
        }
        return at;
    }

    private static List<Long> idsExcept(long first, long last, long... lost) {
        List<Long> ids = new ArrayList<>();
        LongStream.rangeClosed(first, last).filter(id -> LongStream.of(lost).noneMatch(l -> l == id)).forEach(ids::add);
        return ids;
    }

    private JournalOptions salvaging() {
        return options(dir).salvage(true).build();
    }

    private void assertSalvagedOnce(List<Long> expected) throws Exception {
        JournalFiles.Recovered salvaged = reopen(salvaging());
        assertThat(salvaged.ids()).isEqualTo(expected);
        try (Stream<Path> aside = Files.list(dir.resolve(SegmentSalvage.DAMAGED_DIRECTORY))) {
            assertThat(aside.count()).as("the damaged file, kept for inspection").isEqualTo(1);
        }
        // from now on the journal opens without salvage, with the same records, and takes appends
        JournalOptions normal = options(dir).build();
        assertThat(reopen(normal).ids()).isEqualTo(expected);
        write(normal, 1_000, 1);
        List<Long> more = new ArrayList<>(expected);
        more.add(1_000L);
        assertThat(reopen(normal).ids()).isEqualTo(more);
    }

    @Test
    void aFlippedByteMidFileIsRefusedAndSalvageLosesOnlyItsRecord() throws Exception {
        write(options(dir).build(), 1, RECORDS);
        Path segment = JournalFiles.segmentFiles(dir).get(0);
        flip(segment, offsetOf(7) + RecordFormat.RECORD_HEADER_BYTES + 10);

        assertThatThrownBy(() -> reopen(options(dir).build())).isInstanceOf(JournalException.class)
                .hasMessageContaining("journal segment " + segment + " is corrupt at offset " + offsetOf(7))
                .hasMessageContaining("start the broker once with --salvage");
        assertSalvagedOnce(idsExcept(1, RECORDS, 7));
    }

    @Test
    void aZeroedBlockLosesTheRecordsItCovers() throws Exception {
        write(options(dir).build(), 1, RECORDS);
        Path segment = JournalFiles.segmentFiles(dir).get(0);
        long from = offsetOf(5) + 3;
        long to = offsetOf(9) + 20; // records 5..9 are hit
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate((int) (to - from)), from);
        }
        assertThatThrownBy(() -> reopen(options(dir).build())).isInstanceOf(JournalException.class)
                .hasMessageContaining("is corrupt at offset " + offsetOf(5));
        assertSalvagedOnce(idsExcept(1, RECORDS, 5, 6, 7, 8, 9));
    }

    @Test
    void aTruncatedEarlierSegmentKeepsWhatItStillHoldsAndTheSegmentsAfterIt() throws Exception {
        write(options(dir).build(), 1, RECORDS);
        write(options(dir).build(), 100, 5); // the reopened journal continues in a second segment
        Path first = JournalFiles.segmentFiles(dir).get(0);
        try (FileChannel channel = FileChannel.open(first, StandardOpenOption.WRITE)) {
            channel.truncate(offsetOf(15) + 4); // record 15 cut short; 16..20 gone
        }
        assertThatThrownBy(() -> reopen(options(dir).build())).isInstanceOf(JournalException.class)
                .hasMessageContaining(first.toString()).hasMessageContaining("not the last segment");
        List<Long> expected = idsExcept(1, 14);
        expected.addAll(List.of(100L, 101L, 102L, 103L, 104L));
        assertSalvagedOnce(expected);
    }

    @Test
    void aBadHeaderIsSalvagedFromTheRecordsBehindIt() throws Exception {
        write(options(dir).build(), 1, RECORDS);
        Path segment = JournalFiles.segmentFiles(dir).get(0);
        flip(segment, 2); // the magic number
        assertThatThrownBy(() -> reopen(options(dir).build())).isInstanceOf(JournalException.class)
                .hasMessageContaining("has a bad header").hasMessageContaining("--salvage");
        assertSalvagedOnce(idsExcept(1, RECORDS));
    }

    @Test
    void aTornTailStaysATearAndSalvageOfAWholeJournalChangesNothing() throws Exception {
        write(options(dir).build(), 1, RECORDS);
        Path segment = JournalFiles.segmentFiles(dir).get(0);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(offsetOf(RECORDS) + 5); // the last record torn: a crash mid-write, not damage
        }
        assertThat(reopen(salvaging()).ids()).isEqualTo(idsExcept(1, RECORDS - 1));
        assertThat(dir.resolve(SegmentSalvage.DAMAGED_DIRECTORY)).doesNotExist();
    }

    private static void flip(Path file, long position) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x40)).rewind();
            channel.write(one, position);
        }
    }
}
