package io.tunnelmq.bench.scale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ManyQueuesTest {

    @Test
    void eachProducersIntendedTimesCountFromItsOwnSchedule() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicLong clock = new AtomicLong(1_000_000);
            List<Long> firsts = new ArrayList<>();
            long phase = TimeUnit.HOURS.toNanos(1); // never runs here
            ScheduledFuture<?> a = ManyQueues.atFixedRate(scheduler, clock::get, phase, phase, first -> {
                firsts.add(first);
                return () -> { };
            });
            clock.addAndGet(7_000_000); // the loop took 7 ms to reach the next producer
            ScheduledFuture<?> b = ManyQueues.atFixedRate(scheduler, clock::get, phase + 5, phase, first -> {
                firsts.add(first);
                return () -> { };
            });

            assertThat(firsts).as("each its own call's time plus its phase, not the loop's start")
                    .containsExactly(1_000_000 + phase, 8_000_005 + phase);
            assertThat(a.getDelay(TimeUnit.NANOSECONDS)).as("due a phase after the call")
                    .isBetween(phase - TimeUnit.SECONDS.toNanos(5), phase);
            assertThat(b.getDelay(TimeUnit.NANOSECONDS)).isBetween(phase - TimeUnit.SECONDS.toNanos(5), phase + 5);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
