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
import java.util.concurrent.ConcurrentHashMap;

import static io.tunnelmq.server.queue.TestSettle.abandon;
import static org.assertj.core.api.Assertions.assertThat;

/** Expired messages: never delivered, swept on the timer, dropped or moved to the expiry queue. */
@Timeout(10)
class QueueExpiryTest {
    private ManualTimer timer;
    private MemoryTracker memory;
    private final Map<String, List<WireMessage>> moved = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        timer = new ManualTimer();
        memory = new MemoryTracker(1 << 30);
    }

    private PeekLockQueue queue(String name, String expiryQueue) {
        QueueServices services = new QueueServices(timer, new LockTokens(), memory,
                (q, m) -> moved.computeIfAbsent(q, k -> new ArrayList<>()).add(m), expiryQueue);
        return new PeekLockQueue(name, "DLQ." + name, new QueueSettings(60_000, 5), services);
    }

    private WireMessage expiringIn(String id, long millis, long deliveryDelay) {
        return new WireMessage(WireDestination.queue("q"), id, 0, null, null, null, false, 4,
                millis == 0 ? 0 : timer.now() + millis, deliveryDelay == 0 ? 0 : timer.now() + deliveryDelay,
                Map.of("k", "v"), BodyType.TEXT, new byte[100]);
    }

    @Test
    void theSweepDropsExpiredMessagesNobodyConsumesAndFreesTheirMemory() {
        PeekLockQueue queue = queue("q", null);
        queue.enqueue(expiringIn("soon", 100, 0));
        queue.enqueue(expiringIn("delayed-and-expiring", 200, 10_000));
        queue.enqueue(expiringIn("later", 5_000, 0));
        queue.enqueue(expiringIn("never", 0, 0));
        assertThat(queue.stats().available()).isEqualTo(3);
        assertThat(queue.stats().scheduled()).isEqualTo(1);

        timer.advance(ExpiredMessages.MIN_SWEEP_INTERVAL_MILLIS);
        assertThat(queue.stats().available()).isEqualTo(2);
        assertThat(queue.stats().scheduled()).isZero();

        timer.advance(5_000);
        assertThat(queue.stats().available()).isEqualTo(1);
        assertThat(queue.stats().bytes()).isEqualTo(expiringIn("never", 0, 0).sizeEstimate());
        assertThat(moved).isEmpty();
        timer.advance(5_000); // the swept delayed message's due time passes harmlessly

        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        assertThat(c.take().message().messageId()).isEqualTo("never");
        assertThat(timer.pendingTasks()).as("no sweep left once nothing expires").isEqualTo(1); // the lock's timer
    }

    @Test
    void expiredMessagesMoveToTheExpiryQueueWithTheirOriginAndNoExpiration() {
        PeekLockQueue queue = queue("orders", "ExpiryQueue");
        WireMessage original = expiringIn("m1", 100, 0);
        queue.enqueue(original);
        timer.advance(ExpiredMessages.MIN_SWEEP_INTERVAL_MILLIS);

        assertThat(queue.stats().available()).isZero();
        List<WireMessage> expired = moved.get("ExpiryQueue");
        assertThat(expired).hasSize(1);
        WireMessage m = expired.get(0);
        assertThat(m.messageId()).isEqualTo("m1");
        assertThat(m.destination()).isEqualTo(WireDestination.queue("ExpiryQueue"));
        assertThat(m.expiration()).isZero();
        assertThat(m.properties()).containsEntry(ExpiredMessages.ORIGINAL_DESTINATION, "q")
                .containsEntry(ExpiredMessages.ORIGINAL_EXPIRATION, original.expiration())
                .containsEntry("k", "v");
    }

    @Test
    void anExpiredMessageFoundAtDispatchAlsoGoesToTheExpiryQueue() {
        PeekLockQueue queue = queue("orders", "ExpiryQueue");
        queue.enqueue(expiringIn("m1", 10, 0));
        timer.moveClockOnly(20); // the sweep has not run yet
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        assertThat(c.deliveries).isEmpty();
        assertThat(moved.get("ExpiryQueue")).extracting(WireMessage::messageId).containsExactly("m1");
    }

    @Test
    void theExpiryQueueItselfDropsRatherThanMovingToItself() {
        PeekLockQueue queue = queue("ExpiryQueue", "ExpiryQueue");
        queue.enqueue(expiringIn("m1", 10, 0));
        timer.advance(ExpiredMessages.MIN_SWEEP_INTERVAL_MILLIS);
        assertThat(queue.stats().available()).isZero();
        assertThat(moved).isEmpty();
    }

    @Test
    void anAbandonedMessageThatExpiredMeanwhileIsNotRedelivered() {
        PeekLockQueue queue = queue("q", null);
        queue.enqueue(expiringIn("m1", 500, 0));
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        Delivery d = c.take();
        timer.moveClockOnly(1_000);
        abandon(queue, c, d.lockToken());
        assertThat(c.deliveries).isEmpty();
        assertThat(queue.stats().bytes()).isZero();
    }

    @Test
    void blankExpiryQueueMeansDrop() {
        assertThat(new QueueServices(timer, new LockTokens(), memory, (q, m) -> {
        }, "  ").expiryQueue()).isNull();
    }
}
