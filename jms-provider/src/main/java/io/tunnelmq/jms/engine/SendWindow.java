package io.tunnelmq.jms.engine;

/**
 * The client's view of the broker's receive buffer for one connection: the free bytes the broker last
 * reported (in every {@code Ok} and {@code WindowUpdate}) minus the bytes sent since and not yet acknowledged.
 * Pure arithmetic, confined to the connection's event loop.
 *
 * <p>A message fits when {@code lastFree - inFlight >= size}. One exception keeps a connection from getting
 * stuck: when nothing is in flight and the window is not spent (the last report was at least a quarter of
 * the initial window), any message may go, however large. That is how a message larger than the whole
 * window gets through, and it is needed for smaller ones too: with nothing in flight no {@code Ok} will
 * come, and the broker sends a {@code WindowUpdate} only after it has reported a free figure below its
 * low-water mark (a quarter of its capacity), so a client that waited for more room here would wait
 * forever. Below that mark the client waits: the broker owes it a {@code WindowUpdate}.
 */
final class SendWindow {
    private final long initialFree;
    private final long lowWater;
    private long lastFree;
    private long inFlight;

    /** @param initialFree the broker's receive buffer from {@code Welcome.receiveBufferBytes} */
    SendWindow(long initialFree) {
        if (initialFree < 0) {
            throw new IllegalArgumentException("initial window must be >= 0, was " + initialFree);
        }
        this.initialFree = initialFree;
        this.lowWater = Math.max(1, initialFree / 4);
        this.lastFree = initialFree;
    }

    /** Whether a message of {@code size} bytes may be written now. */
    boolean hasRoomFor(long size) {
        return lastFree - inFlight >= size || (inFlight == 0 && lastFree >= lowWater);
    }

    /** A message of {@code size} bytes was written: it occupies the window until acknowledged. */
    void sent(long size) {
        inFlight += size;
    }

    /** A written message was acknowledged, refused or given up on: it no longer occupies the window. */
    void released(long size) {
        inFlight = Math.max(0, inFlight - size);
    }

    /** The broker reported its free receive-buffer space. */
    void update(long freeBytes) {
        lastFree = Math.max(0, freeBytes);
    }

    long lastFree() {
        return lastFree;
    }

    long inFlight() {
        return inFlight;
    }

    /** Bytes that may still be sent before the window is spent; never negative. */
    long available() {
        return Math.max(0, lastFree - inFlight);
    }

    long initialFree() {
        return initialFree;
    }

    @Override
    public String toString() {
        return "SendWindow[free " + lastFree + ", in flight " + inFlight + ", low water " + lowWater + "]";
    }
}
