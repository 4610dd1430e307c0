package io.tunnelmq.server.store;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The store that keeps nothing: every write completes at once. Non-persistent messages live only in the queues, and
 * a broker without a data directory keeps all its messages that way.
 */
public final class MemoryStore implements MessageStore {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    @Override
    public CompletableFuture<Void> write(List<StoreOp> ops) {
        return DONE;
    }

    @Override
    public CompletableFuture<Void> writeLazily(List<StoreOp> ops) {
        return DONE;
    }

    @Override
    public void recover(StoreVisitor visitor) {
        // nothing was kept
    }

    /** Keeps nothing, so holds none of them. */
    @Override
    public CompletableFuture<WireMessage[]> read(long[] storeIds) {
        return CompletableFuture.completedFuture(new WireMessage[storeIds.length]);
    }

    /** Random per store: a broker that keeps nothing starts with empty data every time. */
    private final String identity = java.util.UUID.randomUUID().toString();

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "memory store";
    }
}
