package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.frame.SettleOutcome;
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
        long[] due = locks.dueForRenewal(T0 + 650);
        locks.settling(SettleOutcome.COMPLETE, new long[] {2}, false);
        locks.renewed(due, new long[] {0, T0 + 2_000});
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
    void theBrokersClockIsConvertedToTheClients() {
        BrokerClock clock = BrokerClock.fromWelcome(T0 + 5_000, T0);
        assertThat(clock.toLocal(T0 + 6_000)).isEqualTo(T0 + 1_000);
        assertThat(clock.toLocal(0)).isZero();
        assertThat(clock.toLocal(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(BrokerClock.fromWelcome(0, T0).toLocal(T0)).as("no broker time: as sent").isEqualTo(T0);
        assertThat(BrokerClock.fromWelcome(T0, T0 + 5_000).toLocal(Long.MAX_VALUE - 1)).isEqualTo(Long.MAX_VALUE);
    }
}
