package io.tunnelmq.server.store.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the holder of the {@link WriterTurn} owns (the writer thread, or an appender writing its own record):
 * the segments oldest first (the last is the one being written), its open file, the live index and the counters
 * behind {@link JournalStats}.
 */
final class JournalState {
    final JournalOptions options;
    final JournalFileSystem fs;
    final LiveIndex index;
    final List<Segment> segments;
    final SegmentCreator creator;
    /** Reads records back ({@link Journal#read}, the replay). */
    final RecordReads reads;
    JournalFileSystem.JournalFile currentFile;
    long syncs;
    long recordsAppended;
    /** Bytes written to segment files since open (records and their framing; compaction copies not counted). */
    long bytesWritten;
    long compactions;
    long segmentsRemoved;
    long longestCompactionMillis;

    JournalState(JournalOptions options, LiveIndex index, List<Segment> segments, SegmentCreator creator,
            JournalFileSystem.JournalFile currentFile) {
        this.options = options;
        this.fs = options.fileSystem();
        this.index = index;
        this.segments = new ArrayList<>(segments);
        this.creator = creator;
        this.reads = new RecordReads(fs);
        this.currentFile = currentFile;
    }

    Segment current() {
        return segments.get(segments.size() - 1);
    }

    /** The segments no longer written to, oldest first. */
    List<Segment> sealed() {
        return segments.subList(0, segments.size() - 1);
    }

    JournalStats stats() {
        long total = 0;
        for (Segment segment : segments) {
            total += segment.end;
        }
        return new JournalStats(segments.size(), index.size(), index.liveBytes(), total, syncs, recordsAppended,
                compactions, segmentsRemoved, longestCompactionMillis, bytesWritten);
    }
}
