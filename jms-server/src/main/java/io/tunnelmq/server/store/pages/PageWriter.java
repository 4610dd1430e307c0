package io.tunnelmq.server.store.pages;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Appends records to the current segment through one in-memory buffer, written to the file when it fills, so a
 * fast producer costs one write call per buffer rather than one per message. Records still in the buffer are read
 * from it ({@link #buffered}).
 *
 * <p>If writing the buffer fails (disk full), the buffer is kept as it is and the write is tried again next time
 * room is needed: the messages already accepted stay readable from memory and are never dropped; only new writes
 * fail until the disk has room again.
 */
final class PageWriter {
    private final PageSegments segments;
    private final long segmentBytes;
    private final ByteBuffer buffer;
    private PageSegment current;
    private boolean closed;

    PageWriter(PageSegments segments, long segmentBytes, int bufferBytes) {
        this.segments = segments;
        this.segmentBytes = segmentBytes;
        this.buffer = ByteBuffer.allocateDirect(bufferBytes);
    }

    /** Appends one encoded message with its checksum; returns its ref. */
    synchronized long append(byte[] message, int crc) throws IOException {
        if (closed) {
            throw new IOException("the page file in " + segments.directory + " is closed (the broker is stopping)");
        }
        int size = PageRecord.HEADER_BYTES + message.length;
        // a segment takes at least one record, however large, so an oversized message still has a place
        if (current == null || (current.appended > 0 && current.appended + size > segmentBytes)) {
            roll();
        }
        if (buffer.remaining() < size) {
            flush();
        }
        long offset = current.appended;
        if (size > buffer.capacity()) {
            ByteBuffer record = ByteBuffer.allocate(size);
            record.putInt(message.length).putInt(crc).put(message).flip();
            try {
                current.channel.write(record, offset);
            } catch (IOException e) {
                throw unwritable(e);
            }
            current.appended = offset + size;
            current.flushed = offset + size;
        } else {
            buffer.putInt(message.length).putInt(crc).put(message);
            current.appended = offset + size;
        }
        current.added();
        segments.grew(size);
        return PageRef.of(current.id, offset);
    }

    /**
     * A copy of the record at {@code offset} of {@code segment} (header included) if it is still in the buffer,
     * or null if it has been written to the file meanwhile.
     */
    synchronized byte[] buffered(PageSegment segment, long offset) {
        if (segment != current || offset < segment.flushed || offset >= segment.appended) {
            return null;
        }
        int at = (int) (offset - segment.flushed);
        byte[] record = new byte[PageRecord.HEADER_BYTES + buffer.getInt(at)];
        buffer.get(at, record);
        return record;
    }

    /** Stops writing: later appends fail. The segments themselves are deleted by the caller. */
    synchronized void close() {
        closed = true;
        current = null;
        buffer.clear();
    }

    private void roll() throws IOException {
        if (current != null) {
            flush();
        }
        PageSegment next;
        try {
            next = segments.create();
        } catch (IOException e) {
            throw unwritable(e);
        }
        PageSegment previous = current;
        current = next;
        if (previous != null && previous.seal()) {
            segments.delete(previous);
        }
    }

    private void flush() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        ByteBuffer pending = buffer.duplicate().flip();
        try {
            current.channel.write(pending, current.flushed);
        } catch (IOException e) {
            throw unwritable(e);
        }
        current.flushed += buffer.position();
        buffer.clear();
    }

    private IOException unwritable(IOException cause) {
        return new IOException("cannot write to the page file in " + segments.directory + ": the disk is full or the"
                + " directory is not writable (" + cause + "); free disk space or fix the directory's permissions."
                + " Messages accepted so far are kept", cause);
    }
}
