package io.tunnelmq.server.net;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Runs work for another thread on a connection's event loop, where its state may be touched. A loop that no longer
 * takes work (the broker is shutting down: the connection ends anyway) gets the fallback instead.
 */
final class LoopCalls {
    private LoopCalls() {
    }

    /**
     * @return completes with what {@code work} returned on the loop, or with {@code ifShutDown} if the loop refused
     *         the work or the work failed; never exceptionally
     */
    static <T> CompletableFuture<T> call(Executor loop, Supplier<T> work, T ifShutDown) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                T value = ifShutDown;
                try {
                    value = work.get();
                } finally {
                    result.complete(value);
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(ifShutDown);
        }
        return result;
    }

    /** Runs {@code work} on the loop, or {@code ifShutDown} here if the loop refuses it. */
    static void run(Executor loop, Runnable work, Runnable ifShutDown) {
        try {
            loop.execute(work);
        } catch (RejectedExecutionException e) {
            ifShutDown.run();
        }
    }
}
