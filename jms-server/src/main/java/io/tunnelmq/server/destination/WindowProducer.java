package io.tunnelmq.server.destination;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One producer the {@link DuplicateWindow} remembers: the highest sequence it stored and the record that holds it.
 * Its fields are guarded by the object itself (a producer's check-and-write), except {@link #lastUsedMillis}.
 */
final class WindowProducer {
    final UUID id;
    /** The store record holding its sequence; 0 until one was written. */
    long recordId;
    /** The highest sequence known durable (or, for one stored nowhere, accepted after everything before it). */
    long stored;
    /** The highest sequence accepted; its write may still be on its way. */
    long accepted;
    /** The latest write of this producer: a resend of a sequence not yet stored waits for it. */
    CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);
    /** Read without the lock by the window's eviction. */
    volatile long lastUsedMillis;
    boolean forgotten;

    WindowProducer(UUID id) {
        this.id = id;
    }
}
