package io.tunnelmq.server.store.journal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The byte layout of segment headers and records (documented in {@code package-info.java}). Big-endian throughout.
 */
final class RecordFormat {
    static final int MAGIC = 0x544D514A; // "TMQJ"
    static final int VERSION = 1;
    static final int SEGMENT_HEADER_BYTES = 32;
    /** length (4) + type (1) + crc (4). */
    static final int RECORD_HEADER_BYTES = 9;
    static final byte TYPE_OPS = 1;
    static final byte OP_ADD = 1;
    static final byte OP_ANNOTATE = 2;
    static final byte OP_DELETE = 3;
    /** kind (1) + id (8) + length (4). */
    static final int DATA_OP_OVERHEAD = 13;
    /** kind (1) + id (8). */
    static final int DELETE_OP_BYTES = 9;

    private RecordFormat() {
    }

    /** The header at the start of every segment file. {@code coversFrom < sequence} marks a compacted segment. */
    record SegmentHeader(long sequence, long coversFrom) {
    }

    static ByteBuffer encodeHeader(SegmentHeader header) {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER_BYTES);
        b.putInt(MAGIC).putInt(VERSION).putLong(header.sequence()).putLong(header.coversFrom());
        b.putInt(crc(b.array(), 0, 24)).putInt(0);
        return b.flip();
    }

    /** Decodes a segment header, or throws with a message saying what is wrong (the caller adds the file). */
    static SegmentHeader decodeHeader(ByteBuffer b) throws JournalException {
        if (b.remaining() < SEGMENT_HEADER_BYTES) {
            throw new JournalException("the file is " + b.remaining() + " bytes long, shorter than a segment header ("
                    + SEGMENT_HEADER_BYTES + " bytes)");
        }
        int start = b.position();
        int magic = b.getInt(start);
        if (magic != MAGIC) {
            throw new JournalException(String.format("bad magic 0x%08x, expected 0x%08x: not a TunnelMQ journal"
                    + " segment", magic, MAGIC));
        }
        int version = b.getInt(start + 4);
        if (version != VERSION) {
            throw new JournalException("format version " + version + " is not supported (this broker reads version "
                    + VERSION + "); was it written by a newer broker?");
        }
        byte[] bytes = new byte[24];
        b.get(start, bytes);
        int expected = b.getInt(start + 24);
        int actual = crc(bytes, 0, 24);
        if (expected != actual) {
            throw new JournalException(String.format("header checksum 0x%08x does not match the computed 0x%08x",
                    expected, actual));
        }
        long sequence = b.getLong(start + 8);
        long coversFrom = b.getLong(start + 16);
        if (sequence <= 0 || coversFrom <= 0 || coversFrom > sequence) {
            throw new JournalException("header names sequence " + sequence + " covering from " + coversFrom
                    + ", which is impossible");
        }
        return new SegmentHeader(sequence, coversFrom);
    }

    /** Ops encoded as one record, with where each Add's data starts inside it (-1 for other ops). */
    record EncodedRecord(byte[] bytes, List<JournalOp> ops, int[] dataOffsets) {
        int size() {
            return bytes.length;
        }
    }

    static int encodedSize(List<JournalOp> ops) {
        long size = RECORD_HEADER_BYTES + 4L;
        for (JournalOp op : ops) {
            if (op instanceof JournalOp.Add add) {
                size += DATA_OP_OVERHEAD + (long) add.data().length;
            } else if (op instanceof JournalOp.Annotate annotate) {
                size += DATA_OP_OVERHEAD + (long) annotate.annotation().length;
            } else {
                size += DELETE_OP_BYTES;
            }
        }
        return size > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) size;
    }

    static EncodedRecord encode(List<JournalOp> ops) {
        int size = encodedSize(ops);
        ByteBuffer b = ByteBuffer.allocate(size);
        int[] dataOffsets = new int[ops.size()];
        b.putInt(size - RECORD_HEADER_BYTES).put(TYPE_OPS).putInt(0).putInt(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            dataOffsets[i] = -1;
            JournalOp op = ops.get(i);
            if (op instanceof JournalOp.Add add) {
                b.put(OP_ADD).putLong(add.id()).putInt(add.data().length);
                dataOffsets[i] = b.position();
                b.put(add.data());
            } else if (op instanceof JournalOp.Annotate annotate) {
                b.put(OP_ANNOTATE).putLong(annotate.id()).putInt(annotate.annotation().length)
                        .put(annotate.annotation());
            } else {
                b.put(OP_DELETE).putLong(op.id());
            }
        }
        byte[] bytes = b.array();
        b.putInt(5, recordCrc(bytes, 0, size));
        return new EncodedRecord(bytes, List.copyOf(ops), dataOffsets);
    }

    /** CRC32C over the record's length and type and its body: everything but the checksum field itself. */
    static int recordCrc(byte[] bytes, int offset, int recordSize) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, 5);
        crc.update(bytes, offset + RECORD_HEADER_BYTES, recordSize - RECORD_HEADER_BYTES);
        return (int) crc.getValue();
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** What is at a position of a segment. */
    sealed interface Read permits Valid, Invalid {
    }

    /** A complete record with a good checksum. */
    record Valid(int size, List<JournalOp> ops, int[] dataOffsets) implements Read {
    }

    /**
     * Not a record: {@code zero} if the length field is 0 (the zero-filled end of a segment), {@code plausibleSize} the
     * size its header claims if the claim fits in what was available (else -1), and why it is not a record.
     */
    record Invalid(boolean zero, int plausibleSize, String reason) implements Read {
    }

    /**
     * Reads the record at {@code offset} of {@code bytes}, where {@code available} bytes from {@code offset} on are
     * all that exist.
     */
    static Read read(byte[] bytes, int offset, int available) {
        if (available < RECORD_HEADER_BYTES) {
            boolean zero = true;
            for (int i = 0; i < available; i++) {
                zero &= bytes[offset + i] == 0;
            }
            return new Invalid(zero, -1, "only " + available + " bytes remain, fewer than a record header ("
                    + RECORD_HEADER_BYTES + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, available);
        int length = b.getInt(offset);
        if (length == 0) {
            return new Invalid(true, -1, "length 0 (zero-filled space)");
        }
        if (length < 4 || length > available - RECORD_HEADER_BYTES) {
            return new Invalid(false, -1, "record length " + length + " does not fit the " + available
                    + " bytes that remain");
        }
        int size = RECORD_HEADER_BYTES + length;
        byte type = b.get(offset + 4);
        int expected = b.getInt(offset + 5);
        int actual = recordCrc(bytes, offset, size);
        if (expected != actual) {
            return new Invalid(false, size, String.format("record checksum 0x%08x does not match the computed"
                    + " 0x%08x (record length %d, type %d)", expected, actual, length, type));
        }
        if (type != TYPE_OPS) {
            return new Invalid(false, size, "unknown record type " + type);
        }
        try {
            return decodeOps(bytes, offset, size);
        } catch (RuntimeException e) {
            return new Invalid(false, size, "record body is malformed: " + e.getMessage());
        }
    }

    private static Valid decodeOps(byte[] bytes, int offset, int size) {
        ByteBuffer b = ByteBuffer.wrap(bytes, offset + RECORD_HEADER_BYTES, size - RECORD_HEADER_BYTES);
        int count = b.getInt();
        if (count <= 0 || count > b.remaining() / DELETE_OP_BYTES) {
            throw new IllegalArgumentException("op count " + count);
        }
        List<JournalOp> ops = new ArrayList<>(count);
        int[] dataOffsets = new int[count];
        for (int i = 0; i < count; i++) {
            dataOffsets[i] = -1;
            byte kind = b.get();
            long id = b.getLong();
            switch (kind) {
                case OP_ADD, OP_ANNOTATE -> {
                    int length = b.getInt();
                    if (length < 0 || length > b.remaining()) {
                        throw new IllegalArgumentException("op " + i + " claims " + length + " bytes, "
                                + b.remaining() + " remain");
                    }
                    byte[] data = new byte[length];
                    if (kind == OP_ADD) {
                        dataOffsets[i] = b.position() - offset;
                    }
                    b.get(data);
                    ops.add(kind == OP_ADD ? new JournalOp.Add(id, data) : new JournalOp.Annotate(id, data));
                }
                case OP_DELETE -> ops.add(new JournalOp.Delete(id));
                default -> throw new IllegalArgumentException("unknown op kind " + kind + " at op " + i);
            }
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(b.remaining() + " bytes after the last op");
        }
        return new Valid(size, ops, dataOffsets);
    }
}
