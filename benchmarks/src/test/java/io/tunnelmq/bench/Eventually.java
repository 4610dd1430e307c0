package io.tunnelmq.bench;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The one polling wait of this module's tests: reads a value until it meets a condition, or fails at a deadline. */
public final class Eventually {
    private Eventually() {
    }

    /**
     * @param describe what the last value read says when the deadline passes, for the failure message
     * @return the first value read that satisfies {@code done}
     */
    public static <T> T await(Supplier<T> read, Predicate<T> done, Duration timeout, Function<T, String> describe)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        T value = read.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + timeout + ": " + describe.apply(value));
            }
            Thread.sleep(20);
            value = read.get();
        }
        return value;
    }
}
