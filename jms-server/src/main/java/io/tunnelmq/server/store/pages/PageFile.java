package io.tunnelmq.server.store.pages;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.StoreCodec;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The scratch file where the broker keeps the bodies of non-persistent messages it pages out of memory. A message
 * written here is known by a {@code long} ref; it is read back by ref (in batches) and freed when it leaves its
 * queue. Nothing here survives the broker: {@link #open} deletes what a previous run left, {@link #close} deletes
 * everything, and nothing is ever fsynced (non-persistent messages may be lost in a crash, by the JMS contract).
 *
 * <p>On disk: segment files {@code page-<n>.seg} (64 MiB by default) written append-only through a 256 KiB buffer,
 * each record checksummed. A segment is deleted as soon as it is no longer written to and every message in it has
 * been freed. Every method is thread-safe: writers (the arrival threads), a reader (the pager) and freers may run at
 * once; {@link #write} and {@link #read} may block on the disk, {@link #free} only deletes a file, once per segment.
 *
 * <p>A ref is checked as far as a counter allows: reading or freeing a ref whose segment is gone, or that points
 * past what was written, throws {@link IllegalArgumentException}; but reading a freed ref whose segment still holds
 * live messages returns the old message, and freeing a ref twice is caught only once the segment's count is spent.
 */
public final class PageFile implements AutoCloseable {
    /** The default size of a segment file. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
    static final int DEFAULT_BUFFER_BYTES = 256 * 1024;
    /** Refs keep a record's offset in 32 bits; a segment past this size could not be addressed. */
    private static final long MAX_SEGMENT_BYTES = 1L << 30;

    private final PageSegments segments;
    private final PageWriter writer;
    private final PageReader reader;
    private volatile boolean closed;

    private PageFile(PageSegments segments, long segmentBytes, int bufferBytes) {
        this.segments = segments;
        this.writer = new PageWriter(segments, segmentBytes, bufferBytes);
        this.reader = new PageReader(segments, writer);
    }

    /**
     * Opens the page file in {@code directory}, creating the directory if needed and deleting the page files a
     * previous run left there (logged at INFO). Other files in the directory are left alone with a WARN.
     *
     * @throws IOException naming the directory if it cannot be created or cleared
     */
    public static PageFile open(Path directory) throws IOException {
        return open(directory, DEFAULT_SEGMENT_BYTES, DEFAULT_BUFFER_BYTES, PageChannel::onDisk);
    }

    static PageFile open(Path directory, long segmentBytes, int bufferBytes, PageChannel.Opener opener)
            throws IOException {
        Objects.requireNonNull(directory, "directory");
        if (segmentBytes < PageRecord.HEADER_BYTES || segmentBytes > MAX_SEGMENT_BYTES || bufferBytes <= 0) {
            throw new IllegalArgumentException("segment size " + segmentBytes + " must be 8.." + MAX_SEGMENT_BYTES
                    + " bytes and the buffer size " + bufferBytes + " positive");
        }
        try {
            Files.createDirectories(directory);
            PageSegments.deleteLeftovers(directory);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("the page directory " + directory + " is a file, not a directory: set the data"
                    + " directory to a place where the broker may create a directory", e);
        } catch (IOException e) {
            throw new IOException("cannot prepare the page directory " + directory + " (" + e + "): make it writable"
                    + " by the broker or choose another data directory", e);
        }
        return new PageFile(new PageSegments(directory, opener), segmentBytes, bufferBytes);
    }

    /**
     * Stores a message and returns its ref (&gt; 0). The message is readable at once (from memory until its buffer is
     * written); a write that returned is never lost while the page file is open.
     *
     * @throws IOException naming the directory if the disk is full or unwritable, or the page file is closed; the
     *                     message was then not stored, and those stored before are kept
     */
    public long write(WireMessage message) throws IOException {
        byte[] encoded = StoreCodec.encodeMessage(message);
        return writer.append(encoded, PageRecord.crc(encoded, 0, encoded.length));
    }

    /**
     * Reads messages back: the result has one message per ref, in the order asked. The refs are read in position
     * order, so a batch in write order reads the disk sequentially. Blocks on the disk.
     *
     * @throws IllegalArgumentException if a ref is unknown or its segment was freed (a caller bug)
     * @throws IOException              naming the file and offset if a record is damaged, if the file cannot be
     *                                  read, or if the page file is (being) closed
     */
    public WireMessage[] read(long[] refs) throws IOException {
        if (closed) {
            throw closed();
        }
        try {
            return reader.read(refs);
        } catch (IllegalArgumentException | IOException e) {
            // a read that close() cut short finds its segment gone: say so rather than blame the ref
            if (closed) {
                throw closed();
            }
            throw e;
        }
    }

    /**
     * Forgets a message: the segment file holding it is deleted once all its messages are freed and it is no longer
     * written to. Does nothing once the page file is closed.
     *
     * @throws IllegalArgumentException if the ref is unknown, or its segment's messages were all freed already
     */
    public void free(long ref) {
        if (closed) {
            return;
        }
        PageSegment segment = segments.find(ref);
        if (segment == null || PageRef.offset(ref) >= segment.appended) {
            throw new IllegalArgumentException("page ref " + ref + " is unknown or was freed already");
        }
        if (segment.free(ref)) {
            segments.delete(segment);
        }
    }

    private IOException closed() {
        return new IOException("the page file in " + segments.directory + " is closed (the broker is stopping)");
    }

    /** The bytes the page file holds (in its segment files and its write buffer), for metrics and the disk limit. */
    public long bytesOnDisk() {
        return segments.bytes();
    }

    /** Where the segment files are. */
    public Path directory() {
        return segments.directory;
    }

    int segmentCount() {
        return segments.count();
    }

    /**
     * Deletes every page file, and the directory if nothing else is in it; later writes and reads fail, frees are
     * ignored. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        writer.close();
        segments.deleteAll();
    }

    @Override
    public String toString() {
        return "PageFile[" + segments.directory + ", " + segments.count() + " segments, " + bytesOnDisk() + " bytes]";
    }
}
