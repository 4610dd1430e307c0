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
 */
public record JournalStats(int segments, long liveRecords, long liveBytes, long totalBytes, long syncs,
        long recordsAppended, long compactions, long segmentsRemoved, long longestCompactionMillis) {

    /** The figures the store contract names, for stores and fakes that build stats of their own. */
    public JournalStats(int segments, long liveRecords, long liveBytes, long totalBytes, long syncs,
            long recordsAppended, long compactions) {
        this(segments, liveRecords, liveBytes, totalBytes, syncs, recordsAppended, compactions, 0, 0);
    }
}
