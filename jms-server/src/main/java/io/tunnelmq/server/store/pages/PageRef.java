package io.tunnelmq.server.store.pages;

/**
 * A reference to a paged message: its segment's id in the high 32 bits and the record's offset in that segment in
 * the low 32. Segment ids start at 1, so every reference is &gt; 0, and sorting references sorts them by position
 * on disk.
 */
final class PageRef {
    private PageRef() {
    }

    static long of(long segment, long offset) {
        return segment << 32 | offset;
    }

    static long segment(long ref) {
        return ref >>> 32;
    }

    static long offset(long ref) {
        return ref & 0xFFFF_FFFFL;
    }
}
