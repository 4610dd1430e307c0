package io.tunnelmq.server.security;

import io.tunnelmq.protocol.codec.FrameBudget;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker's budget of direct memory for large frames being received, over every connection: logged-in peers may
 * send frames up to the maximum frame size (16 MiB by default), and a few hundred of them announcing one each and
 * sending it slowly would otherwise make the broker buffer that much at once, whatever its memory. Past the budget,
 * a large frame waits for others to complete (its connection stops reading). Frames up to {@link #SMALL_FRAME_BYTES}
 * are not counted. Thread-safe.
 */
public final class FrameMemory implements FrameBudget {
    /** Frames up to this size (header included) need no reservation: every ordinary message is one. */
    public static final int SMALL_FRAME_BYTES = 64 * 1024;

    private final long capacity;
    private final AtomicLong reserved = new AtomicLong();

    /**
     * @param capacity bytes that large frames may hold at once; at least one frame of the maximum size, so that any
     *                 frame can be received
     */
    public FrameMemory(long capacity) {
        if (capacity <= SMALL_FRAME_BYTES) {
            throw new IllegalArgumentException("the frame memory budget must be above " + SMALL_FRAME_BYTES
                    + " bytes, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * The default budget: a quarter of the direct memory the JVM allows (the rest serves writes and small frames),
     * but never less than two frames of the maximum size.
     */
    public static FrameMemory forDirectMemory(long maxDirectMemory, int maxFrameSize) {
        return new FrameMemory(Math.max(maxDirectMemory / 4, 2L * maxFrameSize));
    }

    @Override
    public int smallFrameBytes() {
        return SMALL_FRAME_BYTES;
    }

    @Override
    public boolean tryReserve(int bytes) {
        // one frame alone always fits, or a frame larger than the budget could never be received
        long before = reserved.getAndAdd(bytes);
        if (before == 0 || before + bytes <= capacity) {
            return true;
        }
        reserved.addAndGet(-bytes);
        return false;
    }

    @Override
    public void release(int bytes) {
        reserved.addAndGet(-bytes);
    }

    /** Bytes reserved now. */
    public long reserved() {
        return reserved.get();
    }

    public long capacity() {
        return capacity;
    }
}
