package io.tunnelmq.server.store;

import java.util.concurrent.CompletionException;

/** What failed, as the futures of the store (and of those who wait on them) report it. */
public final class Failures {
    private Failures() {
    }

    /**
     * The failure a dependent stage of a future sees, without the {@link CompletionException} that wraps it there:
     * what an error message or a refusal names.
     */
    public static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** {@code failure} as a stage rethrows it: itself if it is a {@link CompletionException}, else wrapped in one. */
    public static CompletionException completion(Throwable failure) {
        return failure instanceof CompletionException c ? c : new CompletionException(failure);
    }
}
