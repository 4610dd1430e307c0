package io.tunnelmq.server.management;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one wait of an operator's call on the store (moves, purges across the brokers): bounded, and a store that is
 * slow or failing comes back as an exception that says what was asked and what happens to it. Call it from an
 * operator's thread, never from an event loop.
 */
final class StoreWait {
    static final long SECONDS = 60;

    private StoreWait() {
    }

    /**
     * @param what  what the store was asked, for the messages ("write moved messages")
     * @param after what happens if the caller stops waiting ("they reach their targets once it does")
     */
    static <T> T result(CompletableFuture<T> pending, String what, String after) {
        try {
            return pending.get(SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the store took over " + SECONDS + " s to " + what + "; " + after);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the store to " + what + "; " + after);
        }
    }
}
