package io.tunnelmq.server.store.journal;

/**
 * A snapshot of a journal's figures, for monitoring and tests.
 *
 * @param segments segment files in use
 * @param liveRecords records added and not deleted
 * @param liveBytes the bytes the live records would take if compacted now (their data, annotations not counted,
 *     plus record overhead)
 * @param totalBytes the bytes written in the segment files in use (preallocated room not counted)
 * @param syncs fsyncs of segment data (group commits and segment seals)
 * @param recordsAppended records appended since open
 * @param compactions compactions done since open
 * @param segmentsRemoved segment files removed since open because nothing in them mattered any more
 * @param longestCompactionMillis the longest a compaction held up appends since open: its swap (rename, directory
 *     fsyncs, deleting its inputs) on the writer thread; the copy itself runs on its own thread
 * @param bytesWritten bytes of records written since open (compaction's copies not counted)
 */
public record JournalStats(int segments, long liveRecords, long liveBytes, long totalBytes, long syncs,
        long recordsAppended, long compactions, long segmentsRemoved, long longestCompactionMillis,
        long bytesWritten) {

    /** The figures without the bytes written. */
    public JournalStats(int segments, long liveRecords, long liveBytes, long totalBytes, long syncs,
            long recordsAppended, long compactions, long segmentsRemoved, long longestCompactionMillis) {
        this(segments, liveRecords, liveBytes, totalBytes, syncs, recordsAppended, compactions, segmentsRemoved,
                longestCompactionMillis, 0);
    }

    /** The figures the store contract names, for stores and fakes that build stats of their own. */
    public JournalStats(int segments, long liveRecords, long liveBytes, long totalBytes, long syncs,
            long recordsAppended, long compactions) {
        this(segments, liveRecords, liveBytes, totalBytes, syncs, recordsAppended, compactions, 0, 0);
    }
}
