package io.tunnelmq.server.store;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Stands in for a persistent store that could not be opened (unwritable data directory, corrupt journal): every
 * write fails with the reason, so persistent sends and commits are refused clearly while non-persistent traffic,
 * which never reaches a store, goes on. Nothing on disk is touched.
 */
public final class UnavailableStore implements MessageStore {
    private final String reason;

    /** @param reason why the store is unavailable and what to do, e.g. "cannot open journal in /x: ..." */
    public UnavailableStore(String reason) {
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    @Override
    public CompletableFuture<Void> write(List<StoreOp> ops) {
        return CompletableFuture.failedFuture(new StoreException("the broker's message store is unavailable ("
                + reason + "); persistent messages cannot be stored until the broker is restarted with a usable"
                + " data directory (non-persistent messages still work)"));
    }

    @Override
    public CompletableFuture<Void> writeLazily(List<StoreOp> ops) {
        return write(ops);
    }

    @Override
    public void recover(StoreVisitor visitor) {
        // nothing could be read
    }

    /** None: nothing it holds can be answered for. */
    @Override
    public String identity() {
        return null;
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "unavailable store (" + reason + ")";
    }
}
