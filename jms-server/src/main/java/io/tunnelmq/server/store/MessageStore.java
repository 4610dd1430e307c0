package io.tunnelmq.server.store;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Where the broker keeps messages that must survive it. Every write is a batch of {@link StoreOp}s applied
 * atomically: after a crash either the whole batch is there or none of it (a transaction's sends and completions, a
 * dead-letter move). Lazy writes never block and never run I/O on the caller's thread. A durable write may: a store
 * that is idle may write and sync it on the caller's thread, which waits for that anyway (the journal does), and
 * return a completed future. Other futures may complete on the store's own thread, so callers hop back to their own
 * executor before touching their state.
 *
 * <p>Implementations: {@link MemoryStore} (nothing kept), {@link JournalStore} (the embedded journal).
 */
public interface MessageStore extends AutoCloseable {

    /**
     * Writes {@code ops} as one atomic batch.
     *
     * @return completes once the batch is durable, or exceptionally with a {@link StoreException} saying why it is
     *         not (nothing of it is stored then)
     */
    CompletableFuture<Void> write(List<StoreOp> ops);

    /**
     * Writes {@code ops} as one atomic batch without waiting for durability: it becomes durable with the next
     * {@link #write} (or at close). For changes a crash may lose without harm: a delivery count, a completion nobody
     * waits for.
     */
    CompletableFuture<Void> writeLazily(List<StoreOp> ops);

    /**
     * Visits what the store held when it was opened, in the order records were first added; only meaningful once,
     * before the broker accepts connections. Records are read back as they are visited: the store does not hold its
     * whole content in memory for it.
     *
     * @throws StoreException naming the store if what it holds cannot be read back
     */
    void recover(StoreVisitor visitor);

    /**
     * Reads stored messages back by store id, in the order asked (paging: the body of a message a queue keeps only a
     * small stub of): null where the id holds no message (removed, never stored, or a record that is not a message).
     * Ask only for ids whose {@link #write} or {@link #writeLazily} has completed, a few hundred (a few MiB) at a time.
     *
     * @return completes on the store's thread (hop to your own executor before slow work), or exceptionally with a
     *         {@link StoreException} naming the store's directory; a store that cannot read back fails it with an
     *         {@link UnsupportedOperationException}
     */
    default CompletableFuture<WireMessage[]> read(long[] storeIds) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(this + " cannot read messages back"));
    }

    /**
     * As {@link #read(long[])}, decoding the messages on {@code executor} rather than the store's thread (the
     * journal's writer thread should write, not decode a consumer's read-ahead); completes there.
     */
    default CompletableFuture<WireMessage[]> read(long[] storeIds, Executor executor) {
        return read(storeIds).thenApplyAsync(messages -> messages, executor);
    }

    /**
     * The identity of what this store holds: the same for every broker run over the same data (a journal's data
     * directory), another for other data (another directory, or a store that keeps nothing and so starts empty with
     * every broker). A client that lost a commit's answer asks about it only a broker of the same identity. Null
     * when the store holds nothing it could answer for (it could not be opened).
     */
    String identity();

    /** Whether writes go anywhere: false for a store that keeps nothing. */
    boolean persistent();

    /**
     * Why the store cannot take writes now (persistent sends and commits are refused meanwhile), or null when it can:
     * for readiness checks, so a short reason without names or paths (the log has the details).
     */
    default String problem() {
        return null;
    }

    /** Its figures for monitoring, read when asked. */
    default StoreFigures figures() {
        return StoreFigures.NONE;
    }

    /** Makes pending writes durable and releases the store. Idempotent. */
    @Override
    void close();
}
