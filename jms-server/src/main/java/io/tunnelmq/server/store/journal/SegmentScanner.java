package io.tunnelmq.server.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads the records of one segment file in order through a window of the file, and finds where its valid records
 * end and why.
 */
final class SegmentScanner {
    private static final int WINDOW_BYTES = 4 << 20;

    /** Receives each valid record and where it starts. */
    interface RecordSink {
        void accept(long position, RecordFormat.Valid record);
    }

    /**
     * How a scan ended: {@code validEnd} is the position after the last valid record; {@code stop} is null if the
     * records ran exactly to the end of the file, else what was found at {@code validEnd} instead of a record.
     */
    record Result(long validEnd, RecordFormat.Invalid stop) {
    }

    private final JournalFileSystem.JournalFile file;
    private final long size;
    private byte[] window = new byte[0];
    private long windowStart;
    private int windowLength;

    SegmentScanner(JournalFileSystem.JournalFile file, long size) {
        this.file = file;
        this.size = size;
    }

    /** Reads records from {@code from} (after the header) until the end of the file or the first invalid one. */
    Result scan(long from, RecordSink sink) throws IOException {
        long position = from;
        while (position < size) {
            RecordFormat.Read read = readAt(position);
            if (read instanceof RecordFormat.Invalid invalid) {
                return new Result(position, invalid);
            }
            RecordFormat.Valid valid = (RecordFormat.Valid) read;
            sink.accept(position, valid);
            position += valid.size();
        }
        return new Result(position, null);
    }

    /** The first position at or after {@code from} where a complete, valid record starts, or -1 if none does. */
    long findValidRecord(long from) throws IOException {
        for (long position = from; position + RecordFormat.RECORD_HEADER_BYTES <= size; position++) {
            ensure(position, RecordFormat.RECORD_HEADER_BYTES);
            int offset = (int) (position - windowStart);
            if (window[offset + 4] != RecordFormat.TYPE_OPS) {
                continue; // the cheap test first: zero-filled room fails it at every position
            }
            int length = (window[offset] & 0xff) << 24 | (window[offset + 1] & 0xff) << 16
                    | (window[offset + 2] & 0xff) << 8 | window[offset + 3] & 0xff;
            if (length < 4 || length > size - position - RecordFormat.RECORD_HEADER_BYTES) {
                continue;
            }
            if (readAt(position) instanceof RecordFormat.Valid) {
                return position;
            }
        }
        return -1;
    }

    private RecordFormat.Read readAt(long position) throws IOException {
        long remaining = size - position;
        int headerBytes = (int) Math.min(remaining, RecordFormat.RECORD_HEADER_BYTES);
        ensure(position, headerBytes);
        if (headerBytes == RecordFormat.RECORD_HEADER_BYTES) {
            int length = ByteBuffer.wrap(window).getInt((int) (position - windowStart));
            if (length >= 4 && length <= remaining - RecordFormat.RECORD_HEADER_BYTES) {
                ensure(position, RecordFormat.RECORD_HEADER_BYTES + length);
                return RecordFormat.read(window, (int) (position - windowStart), RecordFormat.RECORD_HEADER_BYTES
                        + length);
            }
        }
        return RecordFormat.read(window, (int) (position - windowStart), (int) Math.min(remaining,
                windowStart + windowLength - position));
    }

    /** Makes the window hold [position, position + bytes) of the file. */
    private void ensure(long position, int bytes) throws IOException {
        if (position >= windowStart && position + bytes <= windowStart + windowLength) {
            return;
        }
        int want = (int) Math.min(Math.max(WINDOW_BYTES, bytes), size - position);
        if (window.length < want) {
            window = new byte[want];
        }
        ByteBuffer target = ByteBuffer.wrap(window, 0, want);
        int read = file.read(target, position);
        if (read < bytes) {
            throw new IOException("file ended at " + (position + read) + " while reading " + bytes + " bytes at "
                    + position + " of a " + size + "-byte file; was it truncated while the journal read it?");
        }
        windowStart = position;
        windowLength = read;
    }
}
