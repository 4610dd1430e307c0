package io.tunnelmq.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encoding of the primitive field types the frames are made of. Strings and byte arrays are length
 * prefixed with an int; length -1 means null. Typed values (JMS properties, map and stream bodies)
 * carry a one-byte tag.
 */
public final class Wire {
    private static final byte T_NULL = 0;
    private static final byte T_BOOLEAN = 1;
    private static final byte T_BYTE = 2;
    private static final byte T_SHORT = 3;
    private static final byte T_CHAR = 4;
    private static final byte T_INT = 5;
    private static final byte T_LONG = 6;
    private static final byte T_FLOAT = 7;
    private static final byte T_DOUBLE = 8;
    private static final byte T_STRING = 9;
    private static final byte T_BYTES = 10;
    /** The fewest bytes a map entry takes: a key's length (an empty key) and a value's tag (null). */
    private static final int MIN_MAP_ENTRY_BYTES = 4 + 1;

    private Wire() {
    }

    public static void writeString(ByteBuf buf, String s) {
        if (s == null) {
            buf.writeInt(-1);
            return;
        }
        if (buf.maxWritableBytes() < 4 + ByteBufUtil.utf8MaxBytes(s)) {
            // a buffer of bounded size (a body encoded into an array of its exact size) cannot take the
            // worst case that writeCharSequence reserves: count the bytes first and reserve exactly those
            int length = ByteBufUtil.utf8Bytes(s);
            buf.writeInt(length);
            ByteBufUtil.reserveAndWriteUtf8(buf, s, length);
            return;
        }
        int lengthIndex = buf.writerIndex();
        buf.writeInt(0);
        int written = buf.writeCharSequence(s, StandardCharsets.UTF_8);
        buf.setInt(lengthIndex, written);
    }

    public static String readString(ByteBuf buf) {
        int length = stringLength(buf);
        return length == -1 ? null : buf.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }

    /**
     * Reads a string written by {@link #writeString} that recurs from frame to frame (a destination name, a property
     * name): the same bytes give the same String while it is among the {@link RecentNames}, and no new objects.
     */
    public static String readName(ByteBuf buf) {
        int length = stringLength(buf);
        return length == -1 ? null : RecentNames.read(buf, length);
    }

    /** Reads a string's length, checked against the bytes left; -1 for a null string. */
    private static int stringLength(ByteBuf buf) {
        int length = buf.readInt();
        if (length != -1) {
            checkLength(buf, length, "string");
        }
        return length;
    }

    public static void writeBytes(ByteBuf buf, byte[] bytes) {
        if (bytes == null) {
            buf.writeInt(-1);
            return;
        }
        buf.writeInt(bytes.length);
        buf.writeBytes(bytes);
    }

    public static byte[] readBytes(ByteBuf buf) {
        int length = buf.readInt();
        if (length == -1) {
            return null;
        }
        checkLength(buf, length, "byte array");
        byte[] bytes = new byte[length];
        buf.readBytes(bytes);
        return bytes;
    }

    public static void writeLongs(ByteBuf buf, long[] values) {
        buf.writeInt(values.length);
        for (long v : values) {
            buf.writeLong(v);
        }
    }

    public static long[] readLongs(ByteBuf buf) {
        int count = buf.readInt();
        if (count < 0 || (long) count * Long.BYTES > buf.readableBytes()) {
            throw malformed("long array of " + count + " entries exceeds the frame");
        }
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = buf.readLong();
        }
        return values;
    }

    /** Writes a list of non-null strings: a count, then each string. */
    public static void writeStrings(ByteBuf buf, List<String> values) {
        buf.writeInt(values.size());
        for (String s : values) {
            writeString(buf, s);
        }
    }

    /** Reads what {@link #writeStrings} wrote (an immutable list). */
    public static List<String> readStrings(ByteBuf buf) {
        int count = buf.readInt();
        // every entry takes at least its 4-byte length
        if (count < 0 || (long) count * Integer.BYTES > buf.readableBytes()) {
            throw malformed("string list of " + count + " entries exceeds the frame");
        }
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String s = readString(buf);
            if (s == null) {
                throw malformed("string list entry " + i + " is null");
            }
            values.add(s);
        }
        return List.copyOf(values);
    }

    /** Writes a JMS-typed value: null, Boolean, Byte, Short, Character, Integer, Long, Float, Double, String or byte[]. */
    public static void writeValue(ByteBuf buf, Object value) {
        if (value == null) {
            buf.writeByte(T_NULL);
        } else if (value instanceof String s) {
            buf.writeByte(T_STRING);
            writeString(buf, s);
        } else if (value instanceof Integer i) {
            buf.writeByte(T_INT).writeInt(i);
        } else if (value instanceof Long l) {
            buf.writeByte(T_LONG).writeLong(l);
        } else if (value instanceof Boolean b) {
            buf.writeByte(T_BOOLEAN).writeBoolean(b);
        } else if (value instanceof Double d) {
            buf.writeByte(T_DOUBLE).writeDouble(d);
        } else if (value instanceof Float f) {
            buf.writeByte(T_FLOAT).writeFloat(f);
        } else if (value instanceof Short s) {
            buf.writeByte(T_SHORT).writeShort(s);
        } else if (value instanceof Byte b) {
            buf.writeByte(T_BYTE).writeByte(b);
        } else if (value instanceof Character c) {
            buf.writeByte(T_CHAR).writeChar(c);
        } else if (value instanceof byte[] bytes) {
            buf.writeByte(T_BYTES);
            writeBytes(buf, bytes);
        } else {
            throw new IllegalArgumentException("cannot encode a value of type " + value.getClass().getName());
        }
    }

    public static Object readValue(ByteBuf buf) {
        byte tag = buf.readByte();
        return switch (tag) {
            case T_NULL -> null;
            case T_BOOLEAN -> buf.readBoolean();
            case T_BYTE -> buf.readByte();
            case T_SHORT -> buf.readShort();
            case T_CHAR -> buf.readChar();
            case T_INT -> buf.readInt();
            case T_LONG -> buf.readLong();
            case T_FLOAT -> buf.readFloat();
            case T_DOUBLE -> buf.readDouble();
            case T_STRING -> readString(buf);
            case T_BYTES -> readBytes(buf);
            default -> throw malformed("unknown value tag " + tag);
        };
    }

    /** Writes a map of names to typed values, in iteration order. */
    public static void writeMap(ByteBuf buf, Map<String, ?> map) {
        buf.writeInt(map.size());
        map.forEach((name, value) -> { // no entry set or iterator per message, as iterating the entries makes
            writeString(buf, name);
            writeValue(buf, value);
        });
    }

    /** Reads a map written by {@link #writeMap}; the result is unmodifiable and keeps the order. */
    public static Map<String, Object> readMap(ByteBuf buf) {
        int count = buf.readInt();
        // every entry takes at least its key's 4-byte length and its value's tag: the map is sized by the count, so a
        // looser check would let a frame make the reader allocate several times its own size
        if (count < 0 || (long) count * MIN_MAP_ENTRY_BYTES > buf.readableBytes()) {
            throw malformed("map of " + count + " entries exceeds the frame");
        }
        if (count == 0) {
            return Map.of();
        }
        if (count == 1) {
            // the common case of one property (a timestamp, a tag): one small unmodifiable object instead of a
            // hash table, its entry and a wrapper
            String key = readName(buf);
            if (key == null) {
                throw malformed("map key is null");
            }
            return Collections.singletonMap(key, readValue(buf));
        }
        // sized for the count without a rehash; a key given twice is refused, so the table is never larger than the
        // entries a frame can carry (a repeated key would let it hold a table for millions behind one entry)
        Map<String, Object> map = new LinkedHashMap<>((int) (count / 0.75f) + 1);
        for (int i = 0; i < count; i++) {
            String key = readName(buf);
            if (key == null) {
                throw malformed("map key is null");
            }
            if (map.containsKey(key)) {
                throw malformed("map key '" + (key.length() > 64 ? key.substring(0, 64) + "…" : key)
                        + "' appears twice");
            }
            map.put(key, readValue(buf));
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * The exact number of bytes {@link #writeValue} writes for a value (so a body can be encoded into an array
     * of the right size, without growing and trimming copies).
     *
     * @throws IllegalArgumentException for a type {@link #writeValue} cannot encode
     */
    public static int encodedValueSize(Object value) {
        if (value == null) {
            return 1;
        } else if (value instanceof String s) {
            return 1 + 4 + ByteBufUtil.utf8Bytes(s);
        } else if (value instanceof Integer || value instanceof Float) {
            return 1 + 4;
        } else if (value instanceof Long || value instanceof Double) {
            return 1 + 8;
        } else if (value instanceof Boolean || value instanceof Byte) {
            return 1 + 1;
        } else if (value instanceof Short || value instanceof Character) {
            return 1 + 2;
        } else if (value instanceof byte[] bytes) {
            return 1 + 4 + bytes.length;
        }
        throw new IllegalArgumentException("cannot encode a value of type " + value.getClass().getName());
    }

    /** The exact number of bytes {@link #writeMap} writes for a map. */
    public static int encodedMapSize(Map<String, ?> map) {
        int size = 4;
        for (Map.Entry<String, ?> e : map.entrySet()) {
            size += 4 + ByteBufUtil.utf8Bytes(e.getKey()) + encodedValueSize(e.getValue());
        }
        return size;
    }

    /** A rough count of the bytes a string takes on the wire, without encoding it. */
    public static int sizeOf(String s) {
        return s == null ? 4 : 4 + s.length() * 2;
    }

    private static void checkLength(ByteBuf buf, int length, String what) {
        if (length < 0 || length > buf.readableBytes()) {
            throw malformed(what + " of length " + length + " exceeds the " + buf.readableBytes()
                    + " bytes left in the frame");
        }
    }

    private static ProtocolException malformed(String message) {
        return new ProtocolException(ErrorCode.MALFORMED_FRAME, message);
    }
}
