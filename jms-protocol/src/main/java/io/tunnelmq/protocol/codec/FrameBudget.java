package io.tunnelmq.protocol.codec;

/**
 * Memory shared by every connection of a process for frames being received: a {@link FrameDecoder} reserves a large
 * frame's announced length here before it buffers the frame, and returns it once the frame is decoded or the
 * connection ends. When the budget is spent, a connection with a large frame waits (it stops reading, so TCP holds
 * its peer back) until other frames complete. Bytes of small frames are not counted: they are bounded by the number
 * of connections and the socket reads anyway. Implementations are thread-safe; every event loop reserves.
 */
public interface FrameBudget {

    /** Frames up to this many bytes (header included) need no reservation. */
    int smallFrameBytes();

    /** Reserves {@code bytes} if the budget has them; false (reserving nothing) if not. */
    boolean tryReserve(int bytes);

    /** Returns bytes reserved before. */
    void release(int bytes);
}
