package io.tunnelmq.server.store.pages;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.StoreCodec;
import io.tunnelmq.server.store.StoreException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Reads a batch of refs in position order through a window: one read call brings in the records that lie close
 * together, so draining a backlog in write order costs one call per window rather than one per message, and a
 * sparse batch (a selector's pick) reads little more than what it asked for.
 */
final class PageReader {
    /** The most one read call brings in ahead of need. */
    static final int WINDOW_BYTES = 256 * 1024;
    /** What the window reads past the last wanted record's start, a guess at its length (read again if short). */
    private static final int TAIL_GUESS = 16 * 1024;

    private final PageSegments segments;
    private final PageWriter writer;

    PageReader(PageSegments segments, PageWriter writer) {
        this.segments = segments;
        this.writer = writer;
    }

    WireMessage[] read(long[] refs) throws IOException {
        Integer[] order = new Integer[refs.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingLong(i -> refs[i]));
        long[] sorted = new long[refs.length];
        Arrays.setAll(sorted, i -> refs[order[i]]);
        WireMessage[] messages = new WireMessage[refs.length];
        Window window = new Window();
        for (int i = 0; i < sorted.length; i++) {
            messages[order[i]] = readOne(sorted, i, window);
        }
        return messages;
    }

    private WireMessage readOne(long[] sorted, int index, Window window) throws IOException {
        long ref = sorted[index];
        PageSegment segment = segments.find(ref);
        long offset = PageRef.offset(ref);
        if (segment == null || offset >= segment.appended) {
            throw new IllegalArgumentException("page ref " + ref + " is unknown or was freed: nothing is stored there");
        }
        if (offset >= segment.flushed) {
            byte[] record = writer.buffered(segment, offset);
            if (record != null) {
                return decode(segment, offset, record, 0, record.length);
            }
            if (offset >= segment.flushed) {
                throw new IOException("the page file in " + segments.directory + " was closed while ref " + ref
                        + " was being read (the broker is stopping)");
            }
        }
        try {
            if (!window.covers(segment, offset, PageRecord.HEADER_BYTES)) {
                window.load(segment, offset, PageRecord.HEADER_BYTES, wantedEnd(sorted, index, segment, offset));
            }
            int length = window.bytes.getInt(window.at(offset));
            if (length < 0 || offset + PageRecord.HEADER_BYTES + length > segment.flushed) {
                throw corrupt(segment, offset, "its length " + length + " runs past the " + segment.flushed
                        + " bytes written");
            }
            int size = PageRecord.HEADER_BYTES + length;
            if (!window.covers(segment, offset, size)) {
                window.load(segment, offset, size, offset + size);
            }
            return decode(segment, offset, window.bytes.array(), window.at(offset), size);
        } catch (ClosedChannelException e) {
            if (segment.isDeleted()) {
                throw new IllegalArgumentException("page ref " + ref + " was freed (or the page file closed) while it"
                        + " was being read", e);
            }
            throw e;
        }
    }

    /** Where the window should end: past the last ref of this batch in the same segment within one window's reach. */
    private static long wantedEnd(long[] sorted, int index, PageSegment segment, long offset) {
        long last = offset;
        for (int i = index + 1; i < sorted.length && PageRef.segment(sorted[i]) == segment.id; i++) {
            long next = PageRef.offset(sorted[i]);
            if (next >= offset + WINDOW_BYTES) {
                break;
            }
            last = next;
        }
        return last + TAIL_GUESS;
    }

    private static WireMessage decode(PageSegment segment, long offset, byte[] data, int at, int size)
            throws IOException {
        ByteBuffer header = ByteBuffer.wrap(data, at, size);
        int length = header.getInt();
        int crc = header.getInt();
        if (length != size - PageRecord.HEADER_BYTES) {
            throw corrupt(segment, offset, "its length " + length + " does not fit the " + size + " bytes there");
        }
        int computed = PageRecord.crc(data, at + PageRecord.HEADER_BYTES, length);
        if (computed != crc) {
            throw corrupt(segment, offset, String.format("its checksum 0x%08x does not match the computed 0x%08x",
                    crc, computed));
        }
        try {
            return StoreCodec.decodeMessage(data, at + PageRecord.HEADER_BYTES, length);
        } catch (StoreException e) {
            throw corrupt(segment, offset, e.getMessage());
        }
    }

    private static IOException corrupt(PageSegment segment, long offset, String what) {
        return new IOException("the page file " + segment.file + " is damaged at offset " + offset + ": " + what
                + ". The non-persistent message stored there is lost; check the disk");
    }

    /** Bytes of one segment from {@code start}, reused across the refs of one batch. */
    private static final class Window {
        PageSegment segment;
        long start;
        int length;
        ByteBuffer bytes = ByteBuffer.allocate(0);

        boolean covers(PageSegment s, long offset, int size) {
            return s == segment && offset >= start && offset + size <= start + length;
        }

        int at(long offset) {
            return (int) (offset - start);
        }

        /** Reads at least {@code minimum} bytes from {@code offset}, and up to {@code wantedEnd} if written. */
        void load(PageSegment s, long offset, int minimum, long wantedEnd) throws IOException {
            long want = Math.min(Math.max(wantedEnd, offset + minimum), offset + Math.max(minimum, WINDOW_BYTES));
            int size = (int) (Math.min(want, s.flushed) - offset);
            if (size < minimum) {
                throw corrupt(s, offset, "the record runs past the " + s.flushed + " bytes written");
            }
            if (bytes.capacity() < size) {
                bytes = ByteBuffer.allocate(Math.max(size, Math.min(WINDOW_BYTES, 2 * bytes.capacity())));
            }
            bytes.clear().limit(size);
            while (bytes.hasRemaining()) {
                if (s.channel.read(bytes, offset + bytes.position()) < 0) {
                    throw corrupt(s, offset, "the file ends before the " + s.flushed + " bytes written to it");
                }
            }
            segment = s;
            start = offset;
            length = size;
        }
    }
}
