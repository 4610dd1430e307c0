package io.tunnelmq.jms.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Fire-and-forget completions of one session (AUTO_ACKNOWLEDGE, DUPS_OK) gathered during one event-loop turn, so
 * they reach the broker as one {@code Settle} instead of one frame per message; and, before that, those the
 * application's threads hand over to the event loop together. Not thread-safe: confined to the event loop, or
 * guarded by its owner.
 */
final class CompletionBatch {
    private static final long[] NONE = new long[0];

    /** Grown as tokens come, from none: most batches handed over hold one completion. */
    private long[] tokens = NONE;
    private int size;
    private final List<CompletableFuture<Void>> written = new ArrayList<>();

    /**
     * Adds completions; {@code done} completes when the batch is written.
     *
     * @return true if the batch was empty: the caller schedules its flush
     */
    boolean add(long[] lockTokens, CompletableFuture<Void> done) {
        boolean first = size == 0;
        if (size + lockTokens.length > tokens.length) {
            tokens = Arrays.copyOf(tokens, Math.max(Math.max(tokens.length * 2, 4), size + lockTokens.length));
        }
        System.arraycopy(lockTokens, 0, tokens, size, lockTokens.length);
        size += lockTokens.length;
        written.add(done);
        return first;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The gathered lock tokens, in the order they were added; empties the batch of tokens. */
    long[] takeTokens() {
        long[] taken = Arrays.copyOf(tokens, size);
        size = 0;
        return taken;
    }

    /** The futures of the gathered completions; empties the batch of futures. */
    List<CompletableFuture<Void>> takeFutures() {
        List<CompletableFuture<Void>> taken = new ArrayList<>(written);
        written.clear();
        return taken;
    }

    /** One future for many: completing it completes them all, alike (the one itself, if there is one). */
    static CompletableFuture<Void> completingAll(List<CompletableFuture<Void>> futures) {
        if (futures.size() == 1) {
            return futures.get(0);
        }
        CompletableFuture<Void> all = new CompletableFuture<>();
        all.whenComplete((v, e) -> futures.forEach(f -> {
            if (e == null) {
                f.complete(null);
            } else {
                f.completeExceptionally(e);
            }
        }));
        return all;
    }
}
