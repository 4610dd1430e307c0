package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

import static io.tunnelmq.server.queue.TestSettle.complete;
import static io.tunnelmq.server.queue.TestSettle.release;
import static io.tunnelmq.server.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Consumer credit in messages and bytes, least-loaded dispatch, revocation of prefetched messages for an idle
 * consumer, and consumers whose connection cannot take writes.
 */
@Timeout(10)
class PrefetchBalancerTest {
    private ManualTimer timer;
    private PeekLockQueue queue;

    @BeforeEach
    void setUp() {
        timer = new ManualTimer();
        queue = TestQueues.queue("q", timer, new QueueSettings(60_000, 10));
    }

    private void send(int count) {
        for (int i = 0; i < count; i++) {
            queue.enqueue(message("q", "m" + i));
        }
    }

    private static WireMessage sized(String id, int bodyBytes) {
        return new WireMessage(WireDestination.queue("q"), id, 0, null, null, null, false, 4, 0, 0, Map.of(),
                BodyType.BYTES, new byte[bodyBytes]);
    }

    private static List<Delivery> drain(TestConsumer c) {
        return drain(c.deliveries);
    }

    private static List<Delivery> drain(RevocableConsumer c) {
        return drain(c.deliveries);
    }

    private static List<Delivery> drain(BlockingQueue<Delivery> deliveries) {
        List<Delivery> all = new ArrayList<>();
        for (Delivery d; (d = deliveries.poll()) != null; ) {
            all.add(d);
        }
        return all;
    }

    private static long[] tokens(List<Delivery> deliveries) {
        return deliveries.stream().mapToLong(Delivery::lockToken).toArray();
    }

    @Test
    void aStarvingConsumerMakesTheQueueRevokeTheNewestHalfOfAnotherConsumersUnseenPrefetch() {
        RevocableConsumer holder = new RevocableConsumer("holder");
        queue.consumers().add(holder, 100);
        send(10);
        List<Delivery> held = drain(holder);
        assertThat(held).hasSize(10);

        RevocableConsumer idle = new RevocableConsumer("idle");
        queue.consumers().add(idle, 100);

        assertThat(holder.revokedTokens()).containsExactly(held.subList(5, 10).stream()
                .map(Delivery::lockToken).toArray(Long[]::new));
        assertThat(idle.revoked).isEmpty();
    }

    @Test
    void releasedMessagesGoToTheStarvingConsumerWithTheirCountUnchangedAndEachTokenIsRevokedOnce() {
        RevocableConsumer holder = new RevocableConsumer("holder");
        queue.consumers().add(holder, 100);
        send(10);
        drain(holder);
        RevocableConsumer idle = new RevocableConsumer("idle");
        queue.consumers().add(idle, 100);
        List<Long> revoked = holder.revokedTokens();

        for (long token : revoked) {
            release(queue, holder.owner(), token);
        }

        List<Delivery> moved = drain(idle);
        assertThat(moved).extracting(Delivery::deliveryCount).containsOnly(1);
        assertThat(moved).extracting(d -> d.message().messageId()).containsExactly("m5", "m6", "m7", "m8", "m9");
        assertThat(drain(holder)).as("nothing bounced back").isEmpty();
        assertThat(holder.revokedTokens()).as("each token once; both hold unseen messages now").hasSize(5);
    }

    @Test
    void oneUnseenMessageMovesToAStarvingConsumerWhileTheOtherKeepsWhatItsApplicationTook() {
        RevocableConsumer a = new RevocableConsumer("a");
        queue.consumers().add(a, 100);
        send(2);
        List<Delivery> held = drain(a);
        queue.taken(a, held.get(0).lockToken()); // the application holds m0 unacknowledged

        RevocableConsumer b = new RevocableConsumer("b");
        queue.consumers().add(b, 100);
        assertThat(a.revokedTokens()).containsExactly(held.get(1).lockToken());
        release(queue, a, held.get(1).lockToken());

        assertThat(drain(b)).extracting(d -> d.message().messageId()).containsExactly("m1");
    }

    @Test
    void aConsumerWhoseApplicationTakesTheLastMessageOfItsBufferStarvesWithoutSendingCredit() {
        RevocableConsumer a = new RevocableConsumer("a");
        RevocableConsumer b = new RevocableConsumer("b");
        queue.consumers().add(a, 100);
        queue.consumers().add(b, 0);
        send(6);
        List<Delivery> heldByA = drain(a);
        queue.consumers().addCredit(b, 100); // b gets nothing: a already holds everything, but b is not starving yet
        List<Delivery> moved = new ArrayList<>();
        for (long token : a.revokedTokens()) {
            release(queue, a, token);
        }
        moved.addAll(drain(b));
        assertThat(moved).isNotEmpty();

        // b's application takes everything it was given: its buffer is empty, and a credit comes only at half its
        // prefetch, so the take itself must make the queue look for unseen messages elsewhere
        int revokedBefore = a.revoked.size();
        for (Delivery d : moved) {
            queue.taken(b, d.lockToken());
        }
        assertThat(a.revoked).as("a new revocation for the starving b").hasSizeGreaterThan(revokedBefore);
        assertThat(heldByA).hasSize(6);
    }

    @Test
    void nothingIsRevokedWhileEveryConsumerHoldsUnseenMessages() {
        RevocableConsumer a = new RevocableConsumer("a");
        RevocableConsumer b = new RevocableConsumer("b");
        queue.consumers().add(a, 0);
        queue.consumers().add(b, 0);
        send(4);
        queue.consumers().addCredit(a, 2);
        queue.consumers().addCredit(b, 2);
        queue.consumers().addCredit(a, 10);
        queue.consumers().addCredit(b, 10);

        assertThat(drain(a)).hasSize(2);
        assertThat(drain(b)).hasSize(2);
        assertThat(a.revoked).isEmpty();
        assertThat(b.revoked).isEmpty();
    }

    @Test
    void aSeenDeliveryIsNeverRevoked() {
        RevocableConsumer c = new RevocableConsumer("c");
        queue.consumers().add(c, 1);
        send(1);
        queue.taken(c, drain(c).get(0).lockToken());

        queue.consumers().add(new RevocableConsumer("d"), 5);

        assertThat(c.revoked).isEmpty();
    }

    @Test
    void aRevocationTheApplicationBeatYieldsAnotherUntilTheStarvingConsumerIsFed() {
        RevocableConsumer holder = new RevocableConsumer("holder");
        queue.consumers().add(holder, 100);
        send(4);
        List<Delivery> held = drain(holder);
        RevocableConsumer idle = new RevocableConsumer("idle");
        queue.consumers().add(idle, 100);
        assertThat(holder.revokedTokens()).containsExactly(held.get(2).lockToken(), held.get(3).lockToken());

        // the application took both before the Revoke arrived
        queue.taken(holder, held.get(2).lockToken());
        assertThat(holder.revoked).as("one of the two is still unanswered").hasSize(1);
        queue.taken(holder, held.get(3).lockToken());

        assertThat(holder.revokedTokens()).as("rebalanced again: the newest of the still unseen")
                .containsExactly(held.get(2).lockToken(), held.get(3).lockToken(), held.get(1).lockToken());
        release(queue, holder, held.get(1).lockToken());
        assertThat(drain(idle)).extracting(d -> d.message().messageId()).containsExactly("m1");
    }

    @Test
    void aConsumerThatGaveBackARevokedMessageDeclinesUntilItSendsCredit() {
        RevocableConsumer holder = new RevocableConsumer("holder");
        queue.consumers().add(holder, 100);
        send(2);
        List<Delivery> held = drain(holder);
        RevocableConsumer idle = new RevocableConsumer("idle");
        queue.consumers().add(idle, 1);
        release(queue, holder, held.get(1).lockToken());
        assertThat(drain(idle)).hasSize(1);
        assertThat(queue.consumers().isDeclined(holder)).isTrue();

        queue.enqueue(message("q", "later"));
        assertThat(holder.deliveries).as("declined: nothing more").isEmpty();
        assertThat(queue.stats().available()).isEqualTo(1);
        assertThat(idle.revoked).as("a declined consumer never counts as starving").isEmpty();

        assertThat(queue.consumers().waiting(holder)).isTrue();
        assertThat(queue.consumers().isDeclined(holder)).isFalse();
        assertThat(drain(holder)).extracting(d -> d.message().messageId()).containsExactly("later");
    }

    @Test
    void anOrdinaryReleaseDoesNotDecline() {
        RevocableConsumer c = new RevocableConsumer("c");
        queue.consumers().add(c, 2);
        send(1);
        release(queue, c, drain(c).get(0).lockToken()); // consumer closed, recover, stop

        assertThat(queue.consumers().isDeclined(c)).isFalse();
        assertThat(drain(c)).hasSize(1);
    }

    @Test
    void setCreditReplacesTheCreditAndZeroStopsDeliveries() {
        RevocableConsumer c = new RevocableConsumer("c");
        queue.consumers().add(c, 100);
        assertThat(queue.consumers().setCredit(c, 0, 0)).isTrue();
        send(3);
        assertThat(c.deliveries).as("SET 0 stops deliveries").isEmpty();

        assertThat(queue.consumers().setCredit(c, 2, 0)).isTrue();
        assertThat(drain(c)).hasSize(2);
        assertThat(queue.consumers().setCredit(c, 1, 0)).isTrue();
        assertThat(drain(c)).hasSize(1);
        assertThat(queue.consumers().setCredit(new RevocableConsumer("stranger"), 1, 0)).isFalse();
    }

    @Test
    void setCreditSetsTheByteCreditOfAByteLimitedConsumer() {
        TestConsumer c = new TestConsumer("c");
        int size = sized("m0", 1000).sizeEstimate();
        queue.consumers().add(c, 100, 4L * size);
        queue.consumers().setCredit(c, 100, 2L * size);
        for (int i = 0; i < 5; i++) {
            queue.enqueue(sized("m" + i, 1000));
        }
        assertThat(drain(c)).as("two messages of byte credit").hasSize(2);
    }

    @Test
    void aConsumerStoppedBySetZeroIsNotStarvingAndOneThatGetsCreditBackIs() {
        RevocableConsumer holder = new RevocableConsumer("holder");
        RevocableConsumer stopped = new RevocableConsumer("stopped");
        queue.consumers().add(stopped, 0);
        queue.consumers().add(holder, 100);
        send(2);
        List<Delivery> held = drain(holder);
        assertThat(holder.revoked).isEmpty();

        queue.consumers().setCredit(stopped, 10, 0);
        assertThat(holder.revokedTokens()).containsExactly(held.get(1).lockToken());
    }

    @Test
    void aConsumerThatBecomesWritableAgainCanStarve() {
        RevocableConsumer holder = new RevocableConsumer("holder");
        RevocableConsumer stalled = new RevocableConsumer("stalled");
        stalled.writable = false;
        queue.consumers().add(stalled, 10);
        queue.consumers().add(holder, 100);
        send(2);
        List<Delivery> held = drain(holder);
        assertThat(holder.revoked).isEmpty();

        stalled.writable = true;
        queue.consumers().resume(stalled);
        assertThat(holder.revokedTokens()).containsExactly(held.get(1).lockToken());
    }

    @Test
    void aMessageGoesToTheLeastLoadedConsumer() {
        TestConsumer busy = new TestConsumer("busy");
        TestConsumer quick = new TestConsumer("quick");
        queue.consumers().add(busy, 100);
        queue.consumers().add(quick, 100);
        send(2);
        drain(busy);
        Delivery q = quick.take();
        complete(queue, quick, q.lockToken()); // quick settles, busy still holds its one

        send(3);
        assertThat(drain(quick)).as("quick holds fewer, so it gets the next ones until even").hasSize(2);
        assertThat(drain(busy)).hasSize(1);
    }

    @Test
    void byteCreditLimitsDeliveriesButOneMessageMayGoWhileMoreThanHalfIsLeft() {
        TestConsumer c = new TestConsumer("c");
        int size = sized("m0", 1000).sizeEstimate(); // every "m<digit>" has this size
        queue.consumers().add(c, 100, 4L * size);
        for (int i = 0; i < 10; i++) {
            queue.enqueue(sized("m" + i, 1000));
        }
        assertThat(drain(c)).as("four messages of byte credit").hasSize(4);

        assertThat(queue.consumers().addCredit(c, 0, size)).isTrue();
        assertThat(drain(c)).hasSize(1);
        assertThat(queue.consumers().addCredit(c, 2, 2L * size)).isTrue();
        assertThat(drain(c)).hasSize(2);
    }

    @Test
    void aMessageLargerThanTheWholeByteCreditIsNotStuck() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 100, 1000);
        queue.enqueue(sized("big", 5000));
        queue.enqueue(sized("big2", 5000));
        assertThat(drain(c)).as("the first goes on the full credit, the second waits").hasSize(1);
        assertThat(queue.consumers().addCredit(c, 1, sized("big", 5000).sizeEstimate())).isTrue();
        assertThat(drain(c)).hasSize(1);
    }

    @Test
    void anUnwritableConsumerGetsNothingUntilItIsResumed() {
        RevocableConsumer stalled = new RevocableConsumer("stalled");
        stalled.writable = false;
        queue.consumers().add(stalled, 100);
        send(3);
        assertThat(stalled.deliveries).isEmpty();
        assertThat(queue.stats().available()).isEqualTo(3);

        stalled.writable = true;
        queue.consumers().resume(stalled);
        assertThat(drain(stalled)).hasSize(3);
    }

    @Test
    void badCreditIsRefused() {
        TestConsumer c = new TestConsumer("c");
        assertThatThrownBy(() -> queue.consumers().add(c, 1, -1)).isInstanceOf(IllegalArgumentException.class);
        queue.consumers().add(c, 1, 10);
        assertThatThrownBy(() -> queue.consumers().addCredit(c, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.consumers().addCredit(c, -1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(queue.consumers().addCredit(new TestConsumer("unknown"), 1, 1)).isFalse();
    }
}
