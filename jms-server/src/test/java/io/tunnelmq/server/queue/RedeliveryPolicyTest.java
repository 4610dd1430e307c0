package io.tunnelmq.server.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.tunnelmq.server.queue.TestSettle.abandon;
import static io.tunnelmq.server.queue.TestSettle.complete;
import static io.tunnelmq.server.queue.TestSettle.release;
import static io.tunnelmq.server.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class RedeliveryPolicyTest {

    @Test
    void theDelayGrowsByTheMultiplierPerFailedDeliveryUpToTheMaximum() {
        RedeliveryPolicy policy = new RedeliveryPolicy(100, 2.0, 500);
        assertThat(policy.delayAfter(1)).isEqualTo(100);
        assertThat(policy.delayAfter(2)).isEqualTo(200);
        assertThat(policy.delayAfter(3)).isEqualTo(400);
        assertThat(policy.delayAfter(4)).isEqualTo(500);
        assertThat(policy.delayAfter(1_000)).isEqualTo(500);
        assertThat(new RedeliveryPolicy(100, 1.0, 60_000).delayAfter(9)).isEqualTo(100);
    }

    @Test
    void noDelayIsTheDefault() {
        assertThat(RedeliveryPolicy.NONE.delayAfter(1)).isZero();
        assertThat(RedeliveryPolicy.NONE.delayAfter(50)).isZero();
        assertThat(new QueueSettings(1000, 3).redelivery()).isEqualTo(RedeliveryPolicy.NONE);
    }

    @Test
    void badValuesAreRefusedWithTheSettingsName() {
        assertThatThrownBy(() -> new RedeliveryPolicy(-1, 2.0, 10)).hasMessageContaining("redeliveryDelay");
        assertThatThrownBy(() -> new RedeliveryPolicy(1, 0.5, 10)).hasMessageContaining("redeliveryMultiplier");
        assertThatThrownBy(() -> new RedeliveryPolicy(1, Double.NaN, 10)).hasMessageContaining("redeliveryMultiplier");
        assertThatThrownBy(() -> new RedeliveryPolicy(1, 2.0, -1)).hasMessageContaining("maxRedeliveryDelay");
    }

    @Test
    void anAbandonedOrExpiredMessageWaitsOutTheBackoffThenTakesItsOriginalPlace() {
        ManualTimer timer = new ManualTimer();
        PeekLockQueue queue = TestQueues.queue("q", timer,
                new QueueSettings(1_000, 10, new RedeliveryPolicy(100, 2.0, 60_000)));
        queue.enqueue(message("q", "m1"));
        queue.enqueue(message("q", "m2"));
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        Delivery m1 = c.take();
        Delivery m2 = c.take();

        // a release (never seen) is not delayed, and its count stays
        assertThat(release(queue, c, m2.lockToken())).isEqualTo(SettleResult.OK);
        Delivery m2Again = c.take();
        assertThat(m2Again.deliveryCount()).isEqualTo(1);
        assertThat(complete(queue, c, m2Again.lockToken())).isEqualTo(SettleResult.OK);

        assertThat(abandon(queue, c, m1.lockToken())).isEqualTo(SettleResult.OK);
        timer.advance(99);
        assertThat(c.deliveries).as("not before the first delay").isEmpty();
        assertThat(queue.stats().scheduled()).isEqualTo(1);
        timer.advance(1);
        Delivery again = c.take();
        assertThat(again.message().messageId()).isEqualTo("m1");
        assertThat(again.deliveryCount()).isEqualTo(2);

        // second failure, by lock expiry of the taken message this time: twice the delay
        queue.taken(c, again.lockToken());
        timer.advance(1_000);
        assertThat(c.expiredTokens).contains(again.lockToken());
        timer.advance(199);
        assertThat(c.deliveries).isEmpty();
        timer.advance(1);
        assertThat(c.take().deliveryCount()).isEqualTo(3);
    }

    @Test
    void renewLockAnswersTheNewExpiryOrZeroForALockNotHeld() {
        ManualTimer timer = new ManualTimer();
        PeekLockQueue queue = TestQueues.queue("q", timer, new QueueSettings(1_000, 10));
        queue.enqueue(message("q", "m1"));
        TestConsumer c = new TestConsumer("c");
        TestConsumer other = new TestConsumer("other");
        queue.consumers().add(c, 10);
        Delivery d = c.take();
        queue.taken(c, d.lockToken()); // seen: its lock ends exactly at its expiry

        timer.advance(600);
        assertThat(queue.renewLock(c, d.lockToken())).isEqualTo(timer.now() + 1_000);
        assertThat(queue.renewLock(other, d.lockToken())).as("held by another owner").isZero();
        assertThat(queue.renewLock(c, 987_654L)).as("unknown").isZero();
        timer.advance(999);
        assertThat(c.expiredTokens).as("the renewed lock runs from the renewal").isEmpty();
        timer.advance(1);
        assertThat(c.expiredTokens).containsExactly(d.lockToken());
        assertThat(queue.renewLock(c, d.lockToken())).as("expired").isZero();
    }
}
