package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.frame.SettleOutcome;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class LockTrackerTest {
    private static final long T0 = 1_000_000;

    @Test
    void aLockIsDueWhenLessThanAThirdOfItsDurationIsLeftAndOnlyOnceUntilAnswered() {
        LockTracker locks = new LockTracker(300_000);
        locks.delivered(1, T0 + 900, T0);
        assertThat(locks.nextRenewalAt(T0)).isEqualTo(T0 + 600);
        assertThat(locks.dueForRenewal(T0 + 599)).isEmpty();
        assertThat(locks.dueForRenewal(T0 + 600)).containsExactly(1);
        assertThat(locks.dueForRenewal(T0 + 700)).as("already being renewed").isEmpty();
        assertThat(locks.nextRenewalAt(T0 + 700)).isEqualTo(Long.MAX_VALUE);

        locks.renewed(new long[] {1}, new long[] {T0 + 1_600});
        assertThat(locks.lockedUntil(1)).isEqualTo(T0 + 1_600);
        assertThat(locks.nextRenewalAt(T0 + 700)).isEqualTo(T0 + 1_300);
    }

    @Test
    void aDeliveryReportsWhenItsLockWantsTheTimerSoTheTimerMovesOnlyForAnEarlierOne() {
        LockTracker locks = new LockTracker(300_000);
        assertThat(locks.delivered(1, T0 + 900, T0)).isEqualTo(T0 + 600);
        assertThat(locks.delivered(2, T0 + 300, T0)).as("a shorter lock delivered later is due first")
                .isEqualTo(T0 + 200);
        assertThat(locks.nextRenewalAt(T0)).isEqualTo(T0 + 200);
        assertThat(locks.delivered(3, Long.MAX_VALUE, T0)).as("a lock that never expires never wants the timer")
                .isEqualTo(Long.MAX_VALUE);

        LockTracker never = new LockTracker(0);
        assertThat(never.delivered(4, T0 + 900, T0)).as("not renewed: wake up to drop it once expired")
                .isEqualTo(T0 + 900);
        assertThat(never.nextRenewalAt(T0)).isEqualTo(T0 + 900);
    }

    @Test
    void aLockAnsweredZeroOrSettledIsDroppedAndARenewalAnswerDoesNotBringItBack() {
        LockTracker locks = new LockTracker(300_000);
        locks.delivered(1, T0 + 900, T0);
        locks.delivered(2, T0 + 900, T0);
        long[] due = locks.dueForRenewal(T0 + 650); // in no particular order: the answer follows it
        assertThat(due).containsExactlyInAnyOrder(1, 2);
        locks.settling(SettleOutcome.COMPLETE, new long[] {2}, false);
        locks.renewed(due, Arrays.stream(due).map(token -> token == 1 ? 0 : T0 + 2_000).toArray());
        assertThat(locks.lockedUntil(1)).isZero();
        assertThat(locks.lockedUntil(2)).isZero();
        assertThat(locks.size()).isZero();
    }

    @Test
    void renewalStopsAfterTheMaximumAndTheLockIsDroppedOnceExpired() {
        LockTracker locks = new LockTracker(1_000);
        locks.delivered(1, T0 + 900, T0);
        locks.renewed(locks.dueForRenewal(T0 + 600), new long[] {T0 + 1_500});
        assertThat(locks.dueForRenewal(T0 + 1_200)).as("a second after delivery: no more").isEmpty();
        assertThat(locks.lockedUntil(1)).isEqualTo(T0 + 1_500);
        assertThat(locks.nextRenewalAt(T0 + 1_200)).as("wake up to drop it").isEqualTo(T0 + 1_500);
        assertThat(locks.dueForRenewal(T0 + 1_500)).isEmpty();
        assertThat(locks.lockedUntil(1)).isZero();

        LockTracker never = new LockTracker(0);
        never.delivered(2, T0 + 900, T0);
        assertThat(never.dueForRenewal(T0 + 800)).isEmpty();
    }

    @Test
    void aTransactedCompletionKeepsTheLockUntilTheTransactionEnds() {
        LockTracker locks = new LockTracker(300_000);
        locks.delivered(1, T0 + 900, T0);
        locks.delivered(2, T0 + 900, T0);
        locks.settling(SettleOutcome.COMPLETE, new long[] {1}, true);
        locks.settling(SettleOutcome.RENEW, new long[] {2}, true);
        assertThat(locks.dueForRenewal(T0 + 600)).containsExactlyInAnyOrder(1, 2);
        locks.transactionEnded();
        assertThat(locks.lockedUntil(1)).isZero();
        assertThat(locks.lockedUntil(2)).isEqualTo(T0 + 900);
        locks.settling(SettleOutcome.RELEASE, new long[] {2}, true);
        assertThat(locks.size()).isZero();
    }

    @Test
    void aReaderOnAnotherThreadSeesEveryHeldLockWhileTheLoopAddsAndSettlesThousands() throws Exception {
        LockTracker locks = new LockTracker(300_000);
        locks.delivered(0, T0 + 7, T0); // held throughout, while the table grows and shrinks around it
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> wrong = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            long token = 1;
            try {
                while (!done.get() && wrong.get() == null) {
                    long pinned = locks.lockedUntil(0);
                    if (pinned != T0 + 7) {
                        wrong.set("the lock held throughout read as " + pinned);
                    }
                    long seen = locks.lockedUntil(token);
                    if (seen != 0 && seen != T0 + token) {
                        wrong.set("token " + token + " read as " + seen);
                    }
                    token = token % 50_000 + 1;
                }
            } catch (RuntimeException e) {
                wrong.set("the read failed: " + e);
            }
        }, "lock-reader");
        reader.start();
        try {
            for (int round = 0; round < 4; round++) {
                for (long token = 1; token <= 50_000; token++) {
                    locks.delivered(token, T0 + token, T0);
                }
                for (long token = 1; token <= 50_000; token++) {
                    locks.settling(SettleOutcome.COMPLETE, new long[] {token}, false);
                }
            }
        } finally {
            done.set(true);
            reader.join();
        }
        assertThat(wrong.get()).isNull();
        assertThat(locks.size()).isEqualTo(1);
        locks.clear();
        assertThat(locks.lockedUntil(0)).isZero();
        assertThat(locks.size()).isZero();
    }

    @Test
    void theBrokersClockIsConvertedToTheClients() {
        BrokerClock clock = BrokerClock.fromWelcome(T0 + 5_000, T0);
        assertThat(clock.toLocal(T0 + 6_000)).isEqualTo(T0 + 1_000);
        assertThat(clock.toLocal(0)).isZero();
        assertThat(clock.toLocal(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(BrokerClock.fromWelcome(0, T0).toLocal(T0)).as("no broker time: as sent").isEqualTo(T0);
        assertThat(BrokerClock.fromWelcome(T0, T0 + 5_000).toLocal(Long.MAX_VALUE - 1)).isEqualTo(Long.MAX_VALUE);
    }
}
