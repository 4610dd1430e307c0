package io.tunnelmq.server.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Store ids counted in memory, and in blocks a shared store hands out (taken ahead, off the caller's thread). */
@Timeout(20)
class StoreIdsTest {

    @Test
    void countedIdsContinueAfterTheHighestRecovered() {
        StoreIds ids = new StoreIds();
        ids.recovered(41);
        ids.recovered(7);
        assertThat(ids.next()).isEqualTo(42);
        assertThat(ids.last()).isEqualTo(42);
    }

    @Test
    void blockIdsTakeTheNextBlockAheadOnTheExecutorOnceHalfTheBlockIsUsed() {
        AtomicLong sequence = new AtomicLong(100);
        List<Runnable> tasks = new ArrayList<>();
        StoreIds ids = StoreIds.inBlocks(() -> sequence.getAndAdd(10), 10, tasks::add);
        assertThat(sequence).as("the first block is taken at once").hasValue(110);
        for (long expected = 100; expected < 104; expected++) {
            assertThat(ids.next()).isEqualTo(expected);
        }
        assertThat(tasks).isEmpty();
        assertThat(ids.next()).isEqualTo(104);
        assertThat(tasks).as("half the block used: its successor is asked for").hasSize(1);
        assertThat(sequence).as("but not on the caller's thread").hasValue(110);
        tasks.get(0).run();
        for (long expected = 105; expected < 110; expected++) {
            assertThat(ids.next()).isEqualTo(expected);
        }
        assertThat(ids.next()).as("the next block, taken ahead").isEqualTo(110);
        assertThat(tasks).hasSize(1);
        assertThat(ids.last()).isEqualTo(110);
    }

    @Test
    void aBlockThatRunsOutBeforeItsSuccessorArrivedWaitsForIt() throws Exception {
        AtomicLong sequence = new AtomicLong(1);
        CountDownLatch asked = new CountDownLatch(1);
        ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        StoreIds ids = StoreIds.inBlocks(() -> sequence.getAndAdd(4), 4, task -> {
            tasks.add(task);
            asked.countDown();
        });
        ids.next();
        ids.next();
        ids.next();
        ids.next();
        CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(ids::next);
        assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(waiting).isNotDone();
        tasks.poll().run();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(5);
    }

    @Test
    void aBlockThatCannotBeTakenFailsTheIdThatNeedsItAndTheNextCallTriesAgain() {
        AtomicInteger calls = new AtomicInteger();
        StoreIds ids = StoreIds.inBlocks(() -> {
            if (calls.incrementAndGet() == 2) {
                throw new StoreException("database away");
            }
            return calls.get() == 1 ? 1 : 50;
        }, 2, Runnable::run);
        assertThat(ids.next()).isEqualTo(1);
        assertThat(ids.next()).isEqualTo(2);
        assertThatThrownBy(ids::next).isInstanceOf(StoreException.class).hasMessageContaining("database away");
        assertThat(ids.next()).isEqualTo(50);
    }

    @Test
    void concurrentCallersGetDistinctIds() throws Exception {
        AtomicLong sequence = new AtomicLong(1);
        StoreIds ids = StoreIds.inBlocks(() -> sequence.getAndAdd(16), 16, task -> new Thread(task).start());
        ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    seen.add(ids.next());
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        assertThat(seen).hasSize(8000).doesNotHaveDuplicates().allMatch(id -> id > 0);
    }
}
