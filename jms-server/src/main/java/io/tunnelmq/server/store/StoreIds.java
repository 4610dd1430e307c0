package io.tunnelmq.server.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues store ids: broker-wide, monotonic, continuing after the highest id recovery found. Thread-safe.
 *
 * <p>Brokers that share a store ({@link SharedQueues}) take their ids {@linkplain #inBlocks in blocks} the store hands
 * out, so no two brokers ever issue the same id: {@link #next()} runs on event loops, so it takes the next block
 * ahead, on the store's executor, once the current one is half used, and waits only if a block runs out before its
 * successor arrived.
 */
public final class StoreIds {
    private static final Logger log = LoggerFactory.getLogger(StoreIds.class);

    /** Where blocks of ids come from. */
    @FunctionalInterface
    public interface Blocks {
        /**
         * The first id of a fresh block of ids no one else was or will be handed; may block (a database round trip).
         *
         * @throws StoreException if the store cannot hand out a block now
         */
        long take();
    }

    private final AtomicLong last = new AtomicLong();
    private final Blocks blocks;
    private final int blockSize;
    private final Executor fetcher;
    // the current block [nextId, blockEnd) and the one taken ahead; guarded by this
    private long nextId;
    private long blockEnd;
    private CompletableFuture<Long> ahead;

    /** Ids counted up in memory from what recovery saw (one broker owns the store). */
    public StoreIds() {
        this(null, 0, null);
    }

    private StoreIds(Blocks blocks, int blockSize, Executor fetcher) {
        this.blocks = blocks;
        this.blockSize = blockSize;
        this.fetcher = fetcher;
    }

    /**
     * Ids taken in blocks of {@code blockSize} from {@code blocks}: the first block is taken now (on the caller's
     * thread), each next one on {@code fetcher} once the current one is half used.
     *
     * @throws StoreException if the first block cannot be taken
     */
    public static StoreIds inBlocks(Blocks blocks, int blockSize, Executor fetcher) {
        if (blockSize < 2) {
            throw new IllegalArgumentException("id block size must be >= 2, was " + blockSize);
        }
        StoreIds ids = new StoreIds(blocks, blockSize, fetcher);
        ids.startBlock(blocks.take());
        return ids;
    }

    /**
     * The next id; never 0 (0 marks "not stored").
     *
     * @throws StoreException if ids come in blocks and the next block cannot be taken (the next call tries again)
     */
    public long next() {
        if (blocks == null) {
            return last.incrementAndGet();
        }
        while (true) {
            CompletableFuture<Long> successor;
            synchronized (this) {
                if (nextId < blockEnd) {
                    long id = nextId++;
                    if (ahead == null && blockEnd - nextId <= blockSize / 2) {
                        ahead = fetchAhead();
                    }
                    last.accumulateAndGet(id, Math::max);
                    return id;
                }
                if (ahead == null) {
                    ahead = fetchAhead();
                }
                if (ahead.isDone()) {
                    CompletableFuture<Long> arrived = ahead;
                    ahead = null;
                    try {
                        startBlock(arrived.join());
                    } catch (CompletionException e) {
                        throw e.getCause() instanceof StoreException s ? s
                                : new StoreException("cannot take a block of store ids: " + e.getCause(), e);
                    }
                    continue;
                }
                successor = ahead;
            }
            log.debug("store ids: the block ran out before its successor arrived; waiting for it");
            successor.exceptionally(e -> null).join();
        }
    }

    /** Recovery saw this id: later ids are higher (ids in blocks are above every stored id already). */
    public void recovered(long id) {
        last.accumulateAndGet(id, Math::max);
    }

    /** The last id issued or recovered. */
    public long last() {
        return last.get();
    }

    private void startBlock(long first) {
        if (first <= 0) {
            throw new StoreException("a block of store ids must start above 0, started at " + first);
        }
        synchronized (this) {
            nextId = first;
            blockEnd = first + blockSize;
        }
    }

    private CompletableFuture<Long> fetchAhead() {
        try {
            return CompletableFuture.supplyAsync(blocks::take, fetcher);
        } catch (RuntimeException e) { // the executor refused: the store is closing
            return CompletableFuture.failedFuture(e);
        }
    }
}
