package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.selector.Selector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tunnelmq.server.queue.TestSettle.complete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-queue memory under the broker's, counted as the heap a held message really costs. */
@Timeout(10)
class MemoryLimitTest {

    private static WireMessage message(int bodyBytes) {
        return new WireMessage(WireDestination.queue("q"), "ID:1", 0, null, null, null, false, 4, 0, 0, Map.of(),
                BodyType.BYTES, new byte[bodyBytes]);
    }

    @Test
    void aQueueCountsIntoTheBrokerAndItsReleasesWakeTheBrokersWaiters() {
        MemoryTracker broker = new MemoryTracker(10_000);
        MemoryTracker queue = broker.forQueue(1_000);
        AtomicInteger woken = new AtomicInteger();
        broker.waitForSpace(woken::incrementAndGet);

        queue.reserve(600);
        assertThat(queue.used()).isEqualTo(600);
        assertThat(broker.used()).isEqualTo(600);
        assertThat(queue.free()).isEqualTo(400);
        queue.release(600);
        assertThat(broker.used()).isZero();
        assertThat(woken.get()).isEqualTo(1);
    }

    @Test
    void aQueueLimitOfZeroOrAboveTheBrokersIsTheBrokers() {
        MemoryTracker broker = new MemoryTracker(10_000);
        assertThat(broker.forQueue(0).limit()).isEqualTo(10_000);
        assertThat(broker.forQueue(50_000).limit()).isEqualTo(10_000);
        assertThatThrownBy(() -> broker.forQueue(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queue memory limit");
    }

    @Test
    void aQueueWithAConsumerTakingEverythingHoldsAtMostTheConsumerLagAndItsProducersAreToldWhenItIsGone() {
        MemoryTracker broker = new MemoryTracker(100_000, 2_000);
        PeekLockQueue queue = new PeekLockQueue("q", "DLQ.q", new QueueSettings(1000, 3),
                new QueueServices(new ManualTimer(), new LockTokens(), broker, (dlq, m) -> { }), 50_000);
        MemoryTracker memory = queue.memory();
        assertThat(memory.limit()).as("nobody consumes: the queue's own limit").isEqualTo(50_000);

        LockOwner owner = new TestConsumer("owner");
        QueueConsumer selective = new QueueConsumer() {
            @Override
            public LockOwner owner() {
                return owner;
            }

            @Override
            public long lockDurationMillis() {
                return 0;
            }

            @Override
            public void deliver(Delivery delivery) {
            }

            @Override
            public Selector selector() {
                return Selector.compile("color = 'red'");
            }
        };
        queue.consumers().add(selective, 10);
        assertThat(memory.limit()).as("a selective consumer may leave messages behind").isEqualTo(50_000);

        TestConsumer all = new TestConsumer("all");
        queue.consumers().add(all, 10);
        assertThat(memory.limit()).isEqualTo(2_000);
        AtomicInteger woken = new AtomicInteger();
        broker.waitForSpace(woken::incrementAndGet); // where connections' windows wait
        queue.consumers().remove(all);
        assertThat(memory.limit()).isEqualTo(50_000);
        assertThat(woken.get()).as("producers held by the lag limit hear of the room").isEqualTo(1);

        assertThat(new MemoryTracker(100_000, 0).forQueue(0).limit()).isEqualTo(100_000);
        assertThatThrownBy(() -> new MemoryTracker(100_000, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("consumer lag");
    }

    @Test
    void theFootprintCountsObjectOverheadBesidesTheWireSize() {
        WireMessage small = message(100);
        WireMessage large = message(8192);
        assertThat(MessageFootprint.of(small)).isGreaterThan(small.sizeEstimate() + 200L);
        assertThat(MessageFootprint.of(large)).isBetween((long) large.sizeEstimate(), large.sizeEstimate() + 1024L);
        WireMessage withProperties = message(100).withProperties(Map.of("key", "value", "n", 1));
        assertThat(MessageFootprint.of(withProperties)).isGreaterThan(MessageFootprint.of(small) + 100);
    }

    @Test
    void aQueueHoldsItsMessagesFootprintUntilTheyAreGone() {
        MemoryTracker broker = new MemoryTracker(1 << 20);
        PeekLockQueue queue = new PeekLockQueue("q", "DLQ.q", new QueueSettings(1000, 3),
                new QueueServices(new ManualTimer(), new LockTokens(), broker, (dlq, m) -> { }), 64 * 1024);
        WireMessage m = message(1000);

        queue.enqueue(m);
        assertThat(queue.memory().limit()).isEqualTo(64 * 1024);
        assertThat(queue.memory().used()).isEqualTo(MessageFootprint.of(m));
        assertThat(broker.used()).isEqualTo(MessageFootprint.of(m));

        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 1);
        complete(queue, c, c.take().lockToken());
        assertThat(queue.memory().used()).isZero();
        assertThat(broker.used()).isZero();
    }
}
