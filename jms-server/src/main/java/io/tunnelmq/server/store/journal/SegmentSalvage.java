package io.tunnelmq.server.store.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One damaged segment found by a salvaging {@link Recovery}: the runs of valid records it still holds and the spans
 * it had to skip. {@link #rewrite} replaces the segment with a copy holding only the valid runs (records are
 * position-independent: their checksums cover length, type and body) and moves the damaged file into the
 * {@code damaged} directory, where an operator can still inspect it. The copy is written and synced under a
 * {@code .compact} name first, so a crash in between leaves the original in place and the copy to be deleted at the
 * next open.
 */
final class SegmentSalvage {
    static final String DAMAGED_DIRECTORY = "damaged";
    private static final Logger log = LoggerFactory.getLogger(SegmentSalvage.class);
    private static final int COPY_BYTES = 1 << 20;

    /** A span of the file: valid records from {@code from} to {@code to}, or skipped bytes. */
    private record Span(long from, long to) {
        long bytes() {
            return to - from;
        }
    }

    final Segment segment;
    private final List<Span> runs = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private long skippedBytes;
    private int skippedRecords;
    private boolean exact = true;

    SegmentSalvage(Segment segment) {
        this.segment = segment;
    }

    /** Valid records from {@code from} to {@code to}. */
    void keep(long from, long to) {
        if (to > from) {
            runs.add(new Span(from, to));
        }
    }

    /**
     * Skips {@code [from, to)}: one record if {@code oneRecord} (its length verified against where valid records
     * resume), else at least one.
     */
    void skip(long from, long to, boolean oneRecord, String problem) {
        skippedBytes += to - from;
        skippedRecords++;
        exact &= oneRecord;
        problems.add(problem);
    }

    /** Records skipped, "at least" when a skipped span's records could not be counted. */
    String skippedRecords() {
        return (exact ? "" : "at least ") + skippedRecords;
    }

    long skippedBytes() {
        return skippedBytes;
    }

    /** Replaces the damaged segment by its valid runs and moves the damaged file aside. */
    void rewrite(JournalFileSystem fs, Path directory) throws IOException {
        Path copy = directory.resolve(segment.path.getFileName() + Recovery.COMPACTING_SUFFIX);
        long kept = 0;
        try (JournalFileSystem.JournalFile source = fs.open(segment.path, false);
             JournalFileSystem.JournalFile target = fs.open(copy, true)) {
            target.truncate(0);
            ByteBuffer header = RecordFormat.encodeHeader(new RecordFormat.SegmentHeader(segment.sequence,
                    segment.coversFrom));
            target.write(header, 0);
            long position = RecordFormat.SEGMENT_HEADER_BYTES;
            ByteBuffer buffer = ByteBuffer.allocate(COPY_BYTES);
            for (Span run : runs) {
                for (long at = run.from(); at < run.to(); ) {
                    buffer.clear().limit((int) Math.min(COPY_BYTES, run.to() - at));
                    int read = source.read(buffer, at);
                    if (read <= 0) {
                        throw new IOException(segment.path + " ended at " + at + " while salvaging it");
                    }
                    buffer.flip();
                    target.write(buffer, position);
                    position += read;
                    at += read;
                }
                kept += run.bytes();
            }
            target.force();
        }
        Path aside = directory.resolve(DAMAGED_DIRECTORY);
        fs.createDirectories(aside);
        Path moved = aside.resolve(segment.path.getFileName() + "." + System.currentTimeMillis());
        fs.move(segment.path, moved);
        fs.move(copy, segment.path);
        fs.syncDirectory(aside);
        fs.syncDirectory(directory);
        log.warn("journal segment {} salvaged: kept {} bytes of valid records, skipped {} damaged record(s) ({} bytes):"
                + " {}; the damaged file is now {}", segment.path, kept, skippedRecords(), skippedBytes,
                String.join("; ", problems), moved);
    }
}
