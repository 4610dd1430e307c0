package io.tunnelmq.jms.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(10)
class ConsumerCreditTest {

    @Test
    void opensWithThePrefetchAsCredit() {
        assertThat(new ConsumerCredit(100).initialCredit()).isEqualTo(100);
        assertThat(new ConsumerCredit(0).initialCredit()).isZero();
    }

    @Test
    void grantsWhatWasTakenOnceHalfThePrefetchIsReached() {
        ConsumerCredit credit = new ConsumerCredit(10);
        assertThat(credit.taken(2)).isZero();
        assertThat(credit.taken(2)).isZero();
        assertThat(credit.taken(1)).isEqualTo(5);
        assertThat(credit.taken(4)).isZero();
        assertThat(credit.taken(3)).as("everything taken since the last grant").isEqualTo(7);
    }

    @Test
    void prefetchOneGrantsEveryMessage() {
        ConsumerCredit credit = new ConsumerCredit(1);
        assertThat(credit.taken(1)).isEqualTo(1);
        assertThat(credit.taken(1)).isEqualTo(1);
    }

    @Test
    void oddPrefetchRoundsTheThresholdDown() {
        ConsumerCredit credit = new ConsumerCredit(5);
        assertThat(credit.taken(1)).isZero();
        assertThat(credit.taken(1)).isEqualTo(2);
    }

    @Test
    void withoutPrefetchOnlyPullGrantsCredit() {
        ConsumerCredit credit = new ConsumerCredit(0);
        assertThat(credit.taken(10)).isZero();
        assertThat(credit.pull()).isEqualTo(1);
        assertThat(credit.pull()).isEqualTo(1);
    }

    @Test
    void pullWithPrefetchGrantsNothing() {
        assertThat(new ConsumerCredit(10).pull()).isZero();
    }

    @Test
    void takingNothingGrantsNothing() {
        assertThat(new ConsumerCredit(2).taken(0)).isZero();
    }

    @Test
    void rejectsNegativeNumbers() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ConsumerCredit(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> new ConsumerCredit(4).taken(-1));
    }

    @Test
    void concurrentTakersNeverLoseOrDoubleCountCredit() throws Exception {
        ConsumerCredit credit = new ConsumerCredit(10);
        AtomicInteger granted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        granted.addAndGet(credit.taken(1));
                    }
                }));
            }
            for (Future<?> task : tasks) {
                task.get(5, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // 40,000 taken; grants come in batches of 5, so all of it was granted
        assertThat(granted.get()).isEqualTo(40_000);
    }

    @Test
    void grantsMessagesAndBytesOnceHalfTheBytePrefetchIsTaken() {
        ConsumerCredit credit = new ConsumerCredit(100, 1000);
        assertThat(credit.initialCreditBytes()).isEqualTo(1000);
        assertThat(credit.taken(1, 300)).isEqualTo(ConsumerCredit.Grant.NONE);
        assertThat(credit.taken(1, 199)).isEqualTo(ConsumerCredit.Grant.NONE);
        assertThat(credit.taken(1, 1)).isEqualTo(new ConsumerCredit.Grant(3, 500));
        assertThat(credit.taken(1, 10)).as("counting starts again").isEqualTo(ConsumerCredit.Grant.NONE);
    }

    @Test
    void grantsBytesTooWhenHalfThePrefetchInMessagesComesFirst() {
        ConsumerCredit credit = new ConsumerCredit(4, 1_000_000);
        assertThat(credit.taken(1, 10)).isEqualTo(ConsumerCredit.Grant.NONE);
        assertThat(credit.taken(1, 10)).isEqualTo(new ConsumerCredit.Grant(2, 20));
    }

    @Test
    void oneMessageLargerThanThePrefetchIsGrantedBackAtOnce() {
        ConsumerCredit credit = new ConsumerCredit(100, 1000);
        assertThat(credit.taken(1, 5000)).isEqualTo(new ConsumerCredit.Grant(1, 5000));
    }

    @Test
    void withoutAByteLimitGrantsCarryNoBytes() {
        ConsumerCredit credit = new ConsumerCredit(2, 0);
        assertThat(credit.initialCreditBytes()).isZero();
        assertThat(credit.taken(1, 1_000_000)).isEqualTo(new ConsumerCredit.Grant(1, 0));
    }

    @Test
    void aPullConsumerIgnoresTheBytePrefetch() {
        ConsumerCredit credit = new ConsumerCredit(0, 1000);
        assertThat(credit.initialCreditBytes()).isZero();
        assertThat(credit.taken(1, 600)).isEqualTo(ConsumerCredit.Grant.NONE);
        assertThat(credit.pull()).isEqualTo(1);
    }

    @Test
    void refusesNegativeBytes() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ConsumerCredit(4, -1));
        assertThatIllegalArgumentException().isThrownBy(() -> new ConsumerCredit(4, 10).taken(1, -1));
    }
}
