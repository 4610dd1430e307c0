package io.tunnelmq.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

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

    private record Entry(byte[] utf8, String name) {
    }

    private RecentNames() {
    }

    /** Reads a name of {@code length} UTF-8 bytes (checked against the buffer by the caller). */
    static String read(ByteBuf buf, int length) {
        if (length > MAX_BYTES) {
            return buf.readCharSequence(length, StandardCharsets.UTF_8).toString();
        }
        int at = buf.readerIndex();
        int slot = slot(buf, at, length);
        Entry entry = TABLE[slot];
        if (entry != null && entry.utf8.length == length && sameBytes(entry.utf8, buf, at)) {
            buf.skipBytes(length);
            return entry.name;
        }
        byte[] utf8 = new byte[length];
        buf.readBytes(utf8);
        String name = new String(utf8, StandardCharsets.UTF_8);
        TABLE[slot] = new Entry(utf8, name);
        return name;
    }

    private static int slot(ByteBuf buf, int at, int length) {
        int h = length;
        for (int i = 0; i < length; i++) {
            h = 31 * h + buf.getByte(at + i);
        }
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }

    private static boolean sameBytes(byte[] utf8, ByteBuf buf, int at) {
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] != buf.getByte(at + i)) {
                return false;
            }
        }
        return true;
    }
}
