package io.tunnelmq.junit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting on a condition with a deadline: the one polling loop of this module's tests. */
final class Eventually {
    private Eventually() {
    }

    /** Polls until the condition holds; fails naming what did not happen once the timeout has passed. */
    static void eventually(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + timeout + ": " + what);
            }
            Thread.sleep(5);
        }
    }
}
