package io.tunnelmq.jms.message;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * The bytes a {@link JmsBytesMessage} body is written into. It grows by doubling from {@value #INITIAL_CAPACITY}
 * bytes (or straight to the size of a larger first write), and {@link #share()} hands the content to a send
 * without copying it when the array is exactly full, copying it once to trim it otherwise.
 *
 * <p>JMS lets an application keep writing to a message after sending it and send it again, and the message
 * already sent must not change: a shared array is never written again. The next write copies it first
 * (copy-on-write), so a message sent once and never touched again costs no copy at all.
 */
final class BodyBuffer extends OutputStream {
    static final int INITIAL_CAPACITY = 256;
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;
    private static final byte[] EMPTY = new byte[0];

    private byte[] bytes = EMPTY;
    private int size;
    /** True while {@link #bytes} is also held by someone who relies on it not changing. */
    private boolean shared;

    @Override
    public void write(int b) {
        ensureWritable(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, source.length);
        ensureWritable(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    int size() {
        return size;
    }

    /** A copy of the content the caller may change. */
    byte[] copy() {
        return Arrays.copyOf(bytes, size);
    }

    /**
     * The content as an array of exactly {@link #size()} bytes that this buffer never writes again; the caller
     * must not change it either.
     */
    byte[] share() {
        if (bytes.length != size) {
            bytes = Arrays.copyOf(bytes, size);
        }
        shared = true;
        return bytes;
    }

    private void ensureWritable(int extra) {
        int needed = size + extra;
        if (needed < 0 || needed > MAX_CAPACITY) {
            throw new OutOfMemoryError("a BytesMessage body cannot exceed " + MAX_CAPACITY + " bytes");
        }
        if (needed <= bytes.length && !shared) {
            return;
        }
        int capacity = bytes.length;
        if (needed > capacity) {
            capacity = (int) Math.min(MAX_CAPACITY, Math.max(needed, Math.max(INITIAL_CAPACITY, 2L * capacity)));
        }
        bytes = Arrays.copyOf(bytes, capacity);
        shared = false;
    }
}
