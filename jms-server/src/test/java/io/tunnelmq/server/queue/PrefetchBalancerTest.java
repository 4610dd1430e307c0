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
import java.util.concurrent.LinkedBlockingQueue;

import static io.tunnelmq.server.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Consumer credit in messages and bytes, least-loaded dispatch, revocation of prefetched messages for an idle
 * consumer, and consumers whose connection cannot take writes.
 */
@Timeout(10)
class PrefetchBalancerTest {

    /** A consumer that records the revocations asked of it and can be made unwritable. */
    private static final class RevocableConsumer implements QueueConsumer, LockOwner {
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        final List<long[]> revoked = new ArrayList<>();
        final String name;
        volatile boolean writable = true;

        RevocableConsumer(String name) {
            this.name = name;
        }

        @Override
        public LockOwner owner() {
            return this;
        }

        @Override
        public long lockDurationMillis() {
            return 0;
        }

        @Override
        public void deliver(Delivery delivery) {
            deliveries.add(delivery);
        }

        @Override
        public void lockTaken(Delivery delivery) {
        }

        @Override
        public void lockEnded(long lockToken, boolean expired) {
        }

        @Override
        public synchronized void revoke(long[] lockTokens) {
            revoked.add(lockTokens);
        }

        @Override
        public boolean isWritable() {
            return writable;
        }

        List<Long> revokedTokens() {
            List<Long> all = new ArrayList<>();
            for (long[] tokens : revoked) {
                for (long t : tokens) {
                    all.add(t);
                }
            }
            return all;
        }
    }

    private ManualTimer timer;
    private PeekLockQueue queue;

    @BeforeEach
    void setUp() {
        timer = new ManualTimer();
        queue = new PeekLockQueue("q", "DLQ.q", new QueueSettings(60_000, 10),
                new QueueServices(timer, new LockTokens(), new MemoryTracker(1 << 30), (dlq, m) -> { }));
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

    @Test
    void anIdleConsumerMakesTheQueueRevokeTheOldestHalfOfAnotherConsumersPrefetch() {
        RevocableConsumer holder = new RevocableConsumer("holder");
        queue.addConsumer(holder, 100);
        send(10);
        List<Delivery> held = drain(holder);
        assertThat(held).hasSize(10);

        RevocableConsumer idle = new RevocableConsumer("idle");
        queue.addConsumer(idle, 100);

        assertThat(holder.revokedTokens()).containsExactly(held.subList(0, 5).stream()
                .map(Delivery::lockToken).toArray(Long[]::new));
        assertThat(idle.revoked).isEmpty();
    }

    @Test
    void releasedMessagesGoToTheIdleConsumerWithTheirCountUnchangedAndEachTokenIsRevokedOnce() {
        RevocableConsumer holder = new RevocableConsumer("holder");
        queue.addConsumer(holder, 100);
        send(10);
        List<Delivery> held = drain(holder);
        RevocableConsumer idle = new RevocableConsumer("idle");
        queue.addConsumer(idle, 100);
        List<Long> revoked = holder.revokedTokens();

        // the application took the head; the client releases the other revoked ones
        for (long token : revoked.subList(1, revoked.size())) {
            queue.release(holder.owner(), token);
        }

        List<Delivery> moved = drain(idle);
        assertThat(moved).extracting(Delivery::deliveryCount).containsOnly(1);
        assertThat(moved).extracting(d -> d.message().messageId()).containsExactly("m1", "m2", "m3", "m4");
        assertThat(drain(holder)).as("nothing bounced back").isEmpty();
        List<Long> all = holder.revokedTokens();
        assertThat(all).doesNotHaveDuplicates();
        assertThat(all).as("never revokes what evens out: holder keeps its taken head and about half")
                .doesNotContain(held.get(9).lockToken());
    }

    @Test
    void nothingIsRevokedWhenTheLoadIsEvenOrTheOtherHoldsOnlyOne() {
        RevocableConsumer a = new RevocableConsumer("a");
        RevocableConsumer b = new RevocableConsumer("b");
        queue.addConsumer(a, 100);
        queue.addConsumer(b, 100);
        send(4);
        assertThat(drain(a)).hasSize(2);
        assertThat(drain(b)).hasSize(2);
        assertThat(a.revoked).isEmpty();
        assertThat(b.revoked).isEmpty();

        RevocableConsumer c = new RevocableConsumer("c");
        queue.addConsumer(c, 1);
        send(1);
        assertThat(drain(c)).hasSize(1);
        RevocableConsumer d = new RevocableConsumer("d");
        queue.addConsumer(d, 5);
        assertThat(c.revoked).as("a consumer holding one message keeps it").isEmpty();
    }

    @Test
    void aMessageGoesToTheLeastLoadedConsumer() {
        TestConsumer busy = new TestConsumer("busy");
        TestConsumer quick = new TestConsumer("quick");
        queue.addConsumer(busy, 100);
        queue.addConsumer(quick, 100);
        send(2);
        drain(busy);
        Delivery q = quick.take();
        queue.complete(quick, q.lockToken()); // quick settles, busy still holds its one

        send(3);
        assertThat(drain(quick)).as("quick holds fewer, so it gets the next ones until even").hasSize(2);
        assertThat(drain(busy)).hasSize(1);
    }

    @Test
    void byteCreditLimitsDeliveriesButOneMessageMayGoWhileMoreThanHalfIsLeft() {
        TestConsumer c = new TestConsumer("c");
        int size = sized("m0", 1000).sizeEstimate(); // every "m<digit>" has this size
        queue.addConsumer(c, 100, 4L * size);
        for (int i = 0; i < 10; i++) {
            queue.enqueue(sized("m" + i, 1000));
        }
        assertThat(drain(c)).as("four messages of byte credit").hasSize(4);

        assertThat(queue.addCredit(c, 0, size)).isTrue();
        assertThat(drain(c)).hasSize(1);
        assertThat(queue.addCredit(c, 2, 2L * size)).isTrue();
        assertThat(drain(c)).hasSize(2);
    }

    @Test
    void aMessageLargerThanTheWholeByteCreditIsNotStuck() {
        TestConsumer c = new TestConsumer("c");
        queue.addConsumer(c, 100, 1000);
        queue.enqueue(sized("big", 5000));
        queue.enqueue(sized("big2", 5000));
        assertThat(drain(c)).as("the first goes on the full credit, the second waits").hasSize(1);
        assertThat(queue.addCredit(c, 1, sized("big", 5000).sizeEstimate())).isTrue();
        assertThat(drain(c)).hasSize(1);
    }

    @Test
    void anUnwritableConsumerGetsNothingUntilItIsResumed() {
        RevocableConsumer stalled = new RevocableConsumer("stalled");
        stalled.writable = false;
        queue.addConsumer(stalled, 100);
        send(3);
        assertThat(stalled.deliveries).isEmpty();
        assertThat(queue.stats().available()).isEqualTo(3);

        stalled.writable = true;
        queue.resume(stalled);
        assertThat(drain(stalled)).hasSize(3);
    }

    @Test
    void badCreditIsRefused() {
        TestConsumer c = new TestConsumer("c");
        assertThatThrownBy(() -> queue.addConsumer(c, 1, -1)).isInstanceOf(IllegalArgumentException.class);
        queue.addConsumer(c, 1, 10);
        assertThatThrownBy(() -> queue.addCredit(c, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.addCredit(c, -1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(queue.addCredit(new TestConsumer("unknown"), 1, 1)).isFalse();
    }
}
