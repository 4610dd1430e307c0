package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Reads the data of live records on the writer thread (which owns the index and decides when segment files go), in
 * (segment, position) order whatever order they were asked in: records that lie close together in a segment are read
 * with one positional read, so reading a backlog back is sequential I/O, not one small read per record. Each call
 * opens a segment file once and closes it before returning: no handle outlives a compaction or a segment deletion.
 */
final class RecordReads {
    /** A run of nearby records is read at once up to this size (a larger record is read alone). */
    static final int MAX_RUN_BYTES = 1 << 20;
    /** Records at most this far apart share a read: cheaper than a second read call. */
    static final int MAX_GAP_BYTES = 32 << 10;

    private RecordReads() {
    }

    /**
     * The data of each entry, in the order given. Writer thread only.
     *
     * @throws IOException naming the file and offset if a segment ends before a record's data
     */
    static byte[][] read(JournalFileSystem fs, List<LiveIndex.Entry> entries) throws IOException {
        byte[][] data = new byte[entries.size()][];
        Integer[] order = new Integer[entries.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> entries.get(i).addSegment.sequence)
                .thenComparingLong(i -> entries.get(i).dataPosition));
        byte[] buffer = new byte[0];
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
                    if (file != null) {
                        file.close();
                    }
                    file = null;
                    file = fs.open(first.addSegment.path, false);
                    openSegment = first.addSegment;
                }
                int length = (int) (runEnd - runStart);
                if (buffer.length < length) {
                    buffer = new byte[Math.max(length, Math.min(MAX_RUN_BYTES, buffer.length * 2))];
                }
                int read = file.read(ByteBuffer.wrap(buffer, 0, length), runStart);
                for (int j = k; j <= runLast; j++) {
                    LiveIndex.Entry entry = entries.get(order[j]);
                    int offset = (int) (entry.dataPosition - runStart);
                    if (offset + entry.dataLength > read) {
                        throw new IOException(entry.addSegment.path + " ended at offset " + (runStart + read)
                                + ", before the end of the data of record " + entry.id + " (" + entry.dataLength
                                + " bytes at offset " + entry.dataPosition + "); was the file truncated or replaced"
                                + " while the journal had it open?");
                    }
                    data[order[j]] = Arrays.copyOfRange(buffer, offset, offset + entry.dataLength);
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
}
