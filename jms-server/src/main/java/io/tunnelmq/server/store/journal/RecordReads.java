package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the data of live records on the writer thread (which owns the index and decides when segment files go), in
 * (segment, position) order whatever order they were asked in: records that lie close together in a segment are read
 * with one positional read, so reading a backlog back is sequential I/O, not one small read per record. Each call
 * opens a segment file once and closes it before returning: no handle outlives a compaction or a segment deletion.
 * Owned by the writer thread, like its read buffer.
 */
final class RecordReads {
    /** A run of nearby records is read at once up to this size (a larger record is read alone). */
    static final int MAX_RUN_BYTES = 1 << 20;
    /** Records at most this far apart share a read: cheaper than a second read call. */
    static final int MAX_GAP_BYTES = 32 << 10;

    private final JournalFileSystem fs;
    /** Direct: the file is read into it without the copy a heap buffer costs. Made at the first read. */
    private ByteBuffer buffer;

    RecordReads(JournalFileSystem fs) {
        this.fs = fs;
    }

    /**
     * The data of each entry, in the order given. Writer thread only.
     *
     * @throws IOException naming the file and offset if a segment ends before a record's data
     */
    byte[][] read(List<LiveIndex.Entry> entries) throws IOException {
        byte[][] data = new byte[entries.size()][];
        Integer[] order = new Integer[entries.size()];
        boolean sorted = true;
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            sorted &= i == 0 || compare(entries.get(i - 1), entries.get(i)) <= 0;
        }
        if (!sorted) { // a replay asks in Add order, which is nearly always file order already
            Arrays.sort(order, (a, b) -> compare(entries.get(a), entries.get(b)));
        }
        Segment openSegment = null;
        JournalFileSystem.JournalFile file = null;
        try {
            int k = 0;
            while (k < order.length) {
                LiveIndex.Entry first = entries.get(order[k]);
                long runStart = first.dataPosition;
                long runEnd = runStart + first.dataLength;
                int runLast = k;
                while (runLast + 1 < order.length) {
                    LiveIndex.Entry next = entries.get(order[runLast + 1]);
                    long nextEnd = next.dataPosition + next.dataLength;
                    if (next.addSegment != first.addSegment || next.dataPosition - runEnd > MAX_GAP_BYTES
                            || Math.max(runEnd, nextEnd) - runStart > MAX_RUN_BYTES) {
                        break;
                    }
                    runEnd = Math.max(runEnd, nextEnd);
                    runLast++;
                }
                if (first.addSegment != openSegment) {
                    JournalFileSystem.JournalFile done = file;
                    file = null;
                    if (done != null) {
                        done.close();
                    }
                    file = fs.open(first.addSegment.path, false);
                    openSegment = first.addSegment;
                }
                int length = (int) (runEnd - runStart);
                if (length > MAX_RUN_BYTES) { // a run this long is one large record
                    byte[] whole = new byte[length];
                    requireRead(first, runStart, file.read(ByteBuffer.wrap(whole), runStart));
                    data[order[k]] = whole;
                } else {
                    if (buffer == null) {
                        buffer = ByteBuffer.allocateDirect(MAX_RUN_BYTES);
                    }
                    buffer.clear().limit(length);
                    int read = file.read(buffer, runStart);
                    for (int j = k; j <= runLast; j++) {
                        LiveIndex.Entry entry = entries.get(order[j]);
                        int offset = (int) (entry.dataPosition - runStart);
                        requireRead(entry, runStart, read);
                        byte[] bytes = new byte[entry.dataLength];
                        buffer.get(offset, bytes);
                        data[order[j]] = bytes;
                    }
                }
                k = runLast + 1;
            }
        } finally {
            if (file != null) {
                file.close();
            }
        }
        return data;
    }

    private static void requireRead(LiveIndex.Entry entry, long runStart, int read) throws IOException {
        if (entry.dataPosition + entry.dataLength > runStart + read) {
            throw new IOException(entry.addSegment.path + " ended at offset " + (runStart + read) + ", before the end"
                    + " of the data of record " + entry.id + " (" + entry.dataLength + " bytes at offset "
                    + entry.dataPosition + "); was the file truncated or replaced while the journal had it open?");
        }
    }

    private static int compare(LiveIndex.Entry a, LiveIndex.Entry b) {
        int bySegment = Long.compare(a.addSegment.sequence, b.addSegment.sequence);
        return bySegment != 0 ? bySegment : Long.compare(a.dataPosition, b.dataPosition);
    }
}
