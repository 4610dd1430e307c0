package io.tunnelmq.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ThrottleTest {
    @Test
    void theFirstAskPassesAndNoOtherWithinTheInterval() {
        Throttle throttle = new Throttle(1, TimeUnit.HOURS);
        assertThat(throttle.pass()).isTrue();
        assertThat(throttle.pass()).isFalse();
        assertThat(throttle.pass()).isFalse();
    }

    @Test
    void ofManyThreadsAskingAtOnceOnePasses() {
        Throttle throttle = Throttle.perMinute();
        AtomicInteger passed = new AtomicInteger();
        CompletableFuture.allOf(IntStream.range(0, 8).mapToObj(i -> CompletableFuture.runAsync(() -> {
            for (int n = 0; n < 1_000; n++) {
                if (throttle.pass()) {
                    passed.incrementAndGet();
                }
            }
        })).toArray(CompletableFuture[]::new)).join();
        assertThat(passed).hasValue(1);
    }

    @Test
    void anAskPassesAgainOnceTheIntervalWentBy() {
        Throttle throttle = new Throttle(20, TimeUnit.MILLISECONDS);
        long before = System.nanoTime();
        assertThat(throttle.pass()).isTrue();
        while (!throttle.pass()) {
            Thread.onSpinWait();
        }
        assertThat(System.nanoTime() - before).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(20));
    }
}
