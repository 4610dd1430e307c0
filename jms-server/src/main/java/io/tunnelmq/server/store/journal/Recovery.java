package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the live index from the segment files at open: drops what an interrupted compaction or segment
 * preparation left behind, reads every record in order, cuts a torn last record off and refuses a damaged one
 * that complete records follow — unless the options ask to {@linkplain JournalOptions#salvage() salvage}: then every
 * record that verifies is kept, each damaged segment is rewritten without its damage ({@link SegmentSalvage}), and
 * the journal is read again from the clean files.
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

    private final JournalOptions options;
    private final JournalFileSystem fs;
    private final Path directory;
    /** Damaged segments found while salvaging, in order. */
    private final Map<Segment, SegmentSalvage> damaged = new LinkedHashMap<>();

    private Recovery(JournalOptions options) {
        this.options = options;
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
        if (!damaged.isEmpty()) {
            return salvaged();
        }
        long next = segments.isEmpty() ? 1 : segments.get(segments.size() - 1).sequence + 1;
        log.info("journal {}: recovered {} live records from {} segments", directory, index.size(), segments.size());
        return new Loaded(segments, index, next);
    }

    /** Rewrites the damaged segments and reads the journal again, now whole. */
    private Loaded salvaged() throws IOException {
        long bytes = 0;
        for (SegmentSalvage salvage : damaged.values()) {
            salvage.rewrite(fs, directory);
            bytes += salvage.skippedBytes();
        }
        log.warn("journal {}: salvaged {} damaged segment(s), {} bytes skipped; records in them are lost (a message"
                + " added there is gone, one completed there is delivered again). The damaged files are in {}",
                directory, damaged.size(), bytes, directory.resolve(SegmentSalvage.DAMAGED_DIRECTORY));
        return new Recovery(options.withoutSalvage()).load();
    }

    private List<Segment> findSegments() throws IOException {
        List<Segment> found = new ArrayList<>();
        boolean deleted = false;
        for (Path file : fs.list(directory)) {
            String name = file.getFileName().toString();
            long sequence = Segment.sequenceOf(name);
            if (sequence > 0) {
                found.add(segment(file, sequence));
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

    /** The segment in {@code file}; one whose header is damaged is salvaged as an uncompacted segment. */
    private Segment segment(Path file, long sequence) throws IOException {
        try {
            return new Segment(directory, sequence, readHeader(file, sequence).coversFrom());
        } catch (JournalException e) {
            if (!options.salvage()) {
                log.error(e.getMessage());
                throw e;
            }
            Segment segment = new Segment(directory, sequence, sequence);
            damaged.put(segment, new SegmentSalvage(segment));
            return segment;
        }
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
            throw new JournalException(file + " has a bad header: " + e.getMessage() + ". " + advice(file));
        }
        if (decoded.sequence() != sequence) {
            throw new JournalException(file + " has a bad header: it names sequence " + decoded.sequence()
                    + " but the file name says " + sequence + ". " + advice(file));
        }
        return decoded;
    }

    private void read(Segment segment, LiveIndex index, boolean last) throws IOException {
        try (JournalFileSystem.JournalFile file = fs.open(segment.path, false)) {
            SegmentScanner scanner = new SegmentScanner(file, file.size());
            long from = RecordFormat.SEGMENT_HEADER_BYTES;
            SegmentSalvage badHeader = damaged.get(segment);
            if (badHeader != null) {
                long first = scanner.findValidRecord(from);
                badHeader.skip(0, first < 0 ? file.size() : first, false, "bad header");
                from = first < 0 ? file.size() : first;
            }
            while (true) {
                SegmentScanner.Result result = scanner.scan(from,
                        (position, record) -> index.apply(segment, position, record.ops(), record.dataOffsets()));
                segment.end = result.validEnd();
                RecordFormat.Invalid stop = result.stop();
                long resume = stop == null ? -1 : checkStop(segment, scanner, stop, last, file.size());
                SegmentSalvage salvage = damaged.get(segment);
                if (salvage != null) {
                    salvage.keep(from, result.validEnd());
                }
                if (resume < 0) {
                    break;
                }
                from = resume;
            }
            if (last && file.size() != segment.end && !damaged.containsKey(segment)) {
                // seal it: the journal continues in a new segment, and no torn bytes or zero tail stay behind
                file.truncate(segment.end);
                file.force();
            }
        }
    }

    /**
     * Judges what stopped a segment's records at {@code segment.end}: the zero-filled room after the last record, a
     * torn last record (cut off, with a WARN), or damage — refused, or skipped when salvaging.
     *
     * @return where valid records resume after skipped damage, or -1 when the segment's records end here
     */
    private long checkStop(Segment segment, SegmentScanner scanner, RecordFormat.Invalid stop, boolean last,
                           long size) throws IOException {
        long at = segment.end;
        long searchFrom = stop.zero() ? at : stop.plausibleSize() > 0 ? at + stop.plausibleSize() : at + 1;
        long following = scanner.findValidRecord(searchFrom);
        if (following >= 0) {
            String problem = String.format("journal segment %s is corrupt at offset %d: %s; expected a valid record or"
                    + " the end of the data there, but a complete record follows at offset %d", segment.path, at,
                    stop.reason(), following);
            if (options.salvage()) {
                salvageOf(segment).skip(at, following, stop.plausibleSize() > 0
                        && at + stop.plausibleSize() == following, problem);
                return following;
            }
            throw corrupt(problem + ". Refusing to open: the records after the damage would be lost. "
                    + advice(segment.path));
        }
        if (stop.zero()) {
            return -1; // zero-filled room after the last record
        }
        if (!last) {
            String problem = String.format("journal segment %s is corrupt at offset %d: %s; expected a valid record"
                    + " there, and it is not the last segment, so this is damage, not an interrupted write",
                    segment.path, at, stop.reason());
            if (options.salvage()) {
                salvageOf(segment).skip(at, size, false, problem);
                return -1;
            }
            throw corrupt(problem + ". " + advice(segment.path));
        }
        log.warn("journal segment {}: torn record at offset {} ({}), the write was interrupted; truncating it",
                segment.path, at, stop.reason());
        return -1;
    }

    private SegmentSalvage salvageOf(Segment segment) {
        return damaged.computeIfAbsent(segment, SegmentSalvage::new);
    }

    private String advice(Path segment) {
        return "Restore " + directory + " from a backup, or start the broker once with --salvage: it keeps every record"
                + " that verifies, rewrites " + segment.getFileName() + " without the damage and moves the damaged file"
                + " to " + directory.resolve(SegmentSalvage.DAMAGED_DIRECTORY) + " (records in the damaged span are"
                + " lost)";
    }

    private static JournalException corrupt(String message) {
        log.error(message);
        return new JournalException(message);
    }
}
