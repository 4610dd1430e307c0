package io.tunnelmq.server.store.pages;

import java.nio.file.Path;

/**
 * One segment file: where its bytes are, and how many of its messages are still referenced. Freeing is a counter,
 * not a per-message map: the segment goes when it is sealed (no longer written) and every message written into it
 * has been freed.
 */
final class PageSegment {
    final long id;
    final Path file;
    final PageChannel channel;
    /** Bytes accepted into this segment: on disk plus still in the write buffer. Written under the writer's lock. */
    volatile long appended;
    /** Bytes written to the file; a record below this offset is read from the file, above it from the buffer. */
    volatile long flushed;
    private int written;
    private int freed;
    private boolean sealed;
    private boolean deleted;

    PageSegment(long id, Path file, PageChannel channel) {
        this.id = id;
        this.file = file;
        this.channel = channel;
    }

    synchronized void added() {
        written++;
    }

    /**
     * Counts one of its messages freed: true if the caller must now delete the segment.
     *
     * @throws IllegalArgumentException if more messages were freed than were written (a ref freed twice)
     */
    synchronized boolean free(long ref) {
        if (freed >= written) {
            throw new IllegalArgumentException("page ref " + ref + " freed, but every message written to " + file
                    + " was freed already: a ref was freed twice");
        }
        freed++;
        return claimDeletion();
    }

    /** No more writes: true if the caller must now delete the segment. */
    synchronized boolean seal() {
        sealed = true;
        return claimDeletion();
    }

    /** For close: true unless the segment was deleted already. */
    synchronized boolean claimForClose() {
        boolean wasDeleted = deleted;
        deleted = true;
        return !wasDeleted;
    }

    synchronized boolean isDeleted() {
        return deleted;
    }

    synchronized int liveMessages() {
        return written - freed;
    }

    private boolean claimDeletion() {
        if (sealed && freed == written && !deleted) {
            deleted = true;
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
