package io.tunnelmq.jms.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(20)
class SessionHandOverTest {
    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-loop"));
    private final List<Long> onLoop = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stopLoop() {
        loop.shutdownNow();
    }

    private void record(HandOverBatch handed) {
        for (long token : handed.completions.takeTokens()) {
            onLoop.add(token);
        }
        for (long token : handed.takeTaken()) {
            onLoop.add(-token);
        }
    }

    @Test
    void theLoopTakesABatchWhileTheHandingThreadIsStillInsideTheHandOver() {
        // the submitting thread waits, inside the hand-over, until the loop has run the batch's task: a loop that
        // needed the hand-over's lock to close the batch would wait for that thread, and the submit would time out
        SessionHandOver handOver = new SessionHandOver(task -> {
            try {
                loop.submit(task).get(5, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the loop did not run the batch's task: " + e, e);
            }
        }, this::record);

        handOver.complete(new long[] {1, 2});
        handOver.taken(3);

        assertThat(onLoop).as("each in a batch taken at once, with its first entry").containsExactly(1L, 2L, -3L);
    }

    @Test
    void whatIsHandedOverAfterTheLoopClosedABatchGoesInANewOne() throws Exception {
        List<Runnable> submitted = new ArrayList<>();
        SessionHandOver handOver = new SessionHandOver(submitted::add, this::record);

        handOver.complete(new long[] {1});
        handOver.complete(new long[] {2});
        assertThat(submitted).as("one task while the loop has not taken the batch").hasSize(1);
        submitted.get(0).run();
        handOver.complete(new long[] {3});
        assertThat(submitted).as("the closed batch refused it").hasSize(2);
        submitted.get(1).run();

        assertThat(onLoop).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aBatchTheLoopActedOnLetsGoOfItsSends() {
        HandOverBatch batch = new HandOverBatch();
        assertThat(batch.send(null, null)).isTrue();
        batch.close();
        assertThat(batch.send(null, null)).as("closed").isFalse();
        assertThat(batch.complete(new long[] {1})).isFalse();
        assertThat(batch.taken(1)).isFalse();
        assertThat(batch.sendCount()).isEqualTo(1);
        batch.release();
        assertThat(batch.sendCount()).isZero();
    }

    @Test
    void handOversAndTasksFromOneThreadReachTheLoopInCallOrderWhileItClosesBatches() throws Exception {
        SessionHandOver handOver = new SessionHandOver(loop, this::record);
        int n = 200_000;
        for (long i = 1; i <= n; i++) {
            long value = i;
            if (i % 7 == 0) {
                handOver.execute(() -> onLoop.add(value));
            } else {
                handOver.complete(new long[] {value});
            }
        }
        loop.submit(() -> { }).get(10, TimeUnit.SECONDS); // after every task above

        assertThat(onLoop).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(onLoop.get(i)).as("position %d", i).isEqualTo(i + 1L);
        }
    }
}
