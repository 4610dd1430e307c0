package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the live index from the segment files at open: drops what an interrupted compaction or segment
 * preparation left behind, reads every record in order, cuts a torn last record off and refuses a damaged one
 * that complete records follow.
 */
final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(Recovery.class);
    static final String LOCK_FILE = "journal.lock";
    /** The store's identity file beside the journal (io.tunnelmq.server.store.StoreIdentity), and its temporary. */
    static final String STORE_ID_FILE = "store-id";
    static final String PREPARING_SUFFIX = ".prealloc";
    static final String COMPACTING_SUFFIX = ".compact";

    /** The segments found, oldest first, with their live records. */
    record Loaded(List<Segment> segments, LiveIndex index, long nextSequence) {
    }

    private final JournalFileSystem fs;
    private final Path directory;

    private Recovery(JournalOptions options) {
        this.fs = options.fileSystem();
        this.directory = options.directory();
    }

    static Loaded load(JournalOptions options) throws JournalException {
        Recovery recovery = new Recovery(options);
        try {
            return recovery.load();
        } catch (JournalException e) {
            throw e;
        } catch (IOException e) {
            throw new JournalException("cannot recover the journal in " + options.directory() + ": " + e, e);
        }
    }

    private Loaded load() throws IOException {
        List<Segment> segments = findSegments();
        LiveIndex index = new LiveIndex();
        for (int i = 0; i < segments.size(); i++) {
            read(segments.get(i), index, i == segments.size() - 1);
        }
        long next = segments.isEmpty() ? 1 : segments.get(segments.size() - 1).sequence + 1;
        log.info("journal {}: recovered {} live records from {} segments", directory, index.size(), segments.size());
        return new Loaded(segments, index, next);
    }

    private List<Segment> findSegments() throws IOException {
        List<Segment> found = new ArrayList<>();
        boolean deleted = false;
        for (Path file : fs.list(directory)) {
            String name = file.getFileName().toString();
            long sequence = Segment.sequenceOf(name);
            if (sequence > 0) {
                found.add(new Segment(directory, sequence, readHeader(file, sequence).coversFrom()));
            } else if (name.startsWith(Segment.PREFIX)
                    && (name.endsWith(PREPARING_SUFFIX) || name.endsWith(COMPACTING_SUFFIX))) {
                log.info("journal {}: deleting {}, left by an interrupted segment preparation or compaction",
                        directory, name);
                fs.delete(file);
                deleted = true;
            } else if (!name.equals(LOCK_FILE) && !name.startsWith(STORE_ID_FILE)) {
                log.warn("journal {}: ignoring {}: not a journal file (segments are named journal-<sequence>.tmj)",
                        directory, name);
            }
        }
        found.sort(Comparator.comparingLong(s -> s.sequence));
        List<Segment> kept = new ArrayList<>();
        for (Segment segment : found) {
            Segment coveredBy = found.stream()
                    .filter(s -> s.sequence > segment.sequence && s.coversFrom <= segment.sequence)
                    .findFirst().orElse(null);
            if (coveredBy == null) {
                kept.add(segment);
            } else {
                // the compaction that wrote coveredBy was interrupted before it deleted its inputs
                log.info("journal {}: deleting {}, already compacted into {}", directory, segment.path.getFileName(),
                        coveredBy.path.getFileName());
                fs.delete(segment.path);
                deleted = true;
            }
        }
        if (deleted) {
            fs.syncDirectory(directory);
        }
        return kept;
    }

    private RecordFormat.SegmentHeader readHeader(Path file, long sequence) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER_BYTES);
        try (JournalFileSystem.JournalFile f = fs.open(file, false)) {
            f.read(header, 0);
        }
        header.flip();
        RecordFormat.SegmentHeader decoded;
        try {
            decoded = RecordFormat.decodeHeader(header);
        } catch (JournalException e) {
            throw corrupt(file + " has a bad header: " + e.getMessage());
        }
        if (decoded.sequence() != sequence) {
            throw corrupt(file + " has a bad header: it names sequence " + decoded.sequence()
                    + " but the file name says " + sequence);
        }
        return decoded;
    }

    private void read(Segment segment, LiveIndex index, boolean last) throws IOException {
        try (JournalFileSystem.JournalFile file = fs.open(segment.path, false)) {
            SegmentScanner scanner = new SegmentScanner(file, file.size());
            SegmentScanner.Result result = scanner.scan(RecordFormat.SEGMENT_HEADER_BYTES,
                    (position, record) -> index.apply(segment, position, record.ops(), record.dataOffsets()));
            segment.end = result.validEnd();
            RecordFormat.Invalid stop = result.stop();
            if (stop != null) {
                checkStop(segment, scanner, stop, last);
            }
            if (last && file.size() != segment.end) {
                // seal it: the journal continues in a new segment, and no torn bytes or zero tail stay behind
                file.truncate(segment.end);
                file.force();
            }
        }
    }

    private void checkStop(Segment segment, SegmentScanner scanner, RecordFormat.Invalid stop, boolean last)
            throws IOException {
        long at = segment.end;
        long searchFrom = stop.zero() ? at : stop.plausibleSize() > 0 ? at + stop.plausibleSize() : at + 1;
        long following = scanner.findValidRecord(searchFrom);
        if (following >= 0) {
            throw corrupt(String.format("journal segment %s is corrupt at offset %d: %s; expected a valid record or"
                    + " the end of the data there, but a complete record follows at offset %d. Refusing to open:"
                    + " the records after the damage would be lost. Restore the directory from a backup, or move"
                    + " %s aside to accept losing its records", segment.path, at, stop.reason(), following,
                    segment.path.getFileName()));
        }
        if (stop.zero()) {
            return; // zero-filled room after the last record
        }
        if (!last) {
            throw corrupt(String.format("journal segment %s is corrupt at offset %d: %s; expected a valid record"
                    + " there, and it is not the last segment, so this is damage, not an interrupted write."
                    + " Restore the directory from a backup, or move %s aside to accept losing its records",
                    segment.path, at, stop.reason(), segment.path.getFileName()));
        }
        log.warn("journal segment {}: torn record at offset {} ({}), the write was interrupted; truncating it",
                segment.path, at, stop.reason());
    }

    private static JournalException corrupt(String message) {
        log.error(message);
        return new JournalException(message);
    }
}
