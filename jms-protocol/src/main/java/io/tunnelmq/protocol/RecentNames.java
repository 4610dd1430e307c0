package io.tunnelmq.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Names that come back frame after frame, decoded once ({@link Wire#readName}). Every delivery to a consumer names its
 * destination and most messages carry the same property names, so a peer decodes the same few strings over and over,
 * at two new objects each. A name is looked up by its bytes in a small table shared by every thread: a hit skips the
 * bytes and returns the string decoded before, a miss decodes the name and takes its slot. The entries are immutable,
 * so a thread reading a slot that another is replacing sees the old entry or the new one, whole; a peer that sends many
 * different names only makes misses.
 */
final class RecentNames {
    /** Slots in the table, a power of two: room for the names a busy broker or client meets. */
    private static final int SLOTS = 512;
    /** Longer names are decoded every time: they are rare, and comparing them costs about what decoding does. */
    static final int MAX_BYTES = 96;

    private static final Entry[] TABLE = new Entry[SLOTS];
    /** Each thread's room for the name being read. */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[MAX_BYTES];
        }
    };

    private record Entry(byte[] utf8, String name) {
    }

    private RecentNames() {
    }

    /** Reads a name of {@code length} UTF-8 bytes (checked against the buffer by the caller). */
    static String read(ByteBuf buf, int length) {
        if (length > MAX_BYTES) {
            return buf.readCharSequence(length, StandardCharsets.UTF_8).toString();
        }
        // one bulk copy, then hashed and compared as an array: a byte at a time from the buffer costs a bounds and
        // reference-count check per byte, which a broker profile of a 1->1 run showed
        byte[] bytes = SCRATCH.get();
        buf.readBytes(bytes, 0, length);
        int h = length;
        for (int i = 0; i < length; i++) {
            h = 31 * h + bytes[i];
        }
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        Entry entry = TABLE[slot];
        if (entry != null && Arrays.equals(entry.utf8, 0, entry.utf8.length, bytes, 0, length)) {
            return entry.name;
        }
        byte[] utf8 = Arrays.copyOf(bytes, length);
        String name = new String(utf8, StandardCharsets.UTF_8);
        TABLE[slot] = new Entry(utf8, name);
        return name;
    }
}
