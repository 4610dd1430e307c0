package io.tunnelmq.server.queue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static io.tunnelmq.server.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A queue shared by more consumers than its ring scans (it then finds them through an index and counts the ones
 * holding revocable prefetch): every consumer is still found, and revocation still feeds a starving one after the
 * count of holders has gone to zero and back.
 */
@Timeout(10)
class ManyConsumersTest {
    private PeekLockQueue queue;

    @BeforeEach
    void setUp() {
        queue = TestQueues.queue("q", new ManualTimer(), new QueueSettings(60_000, 10));
    }

    @Test
    void everyConsumerOfALargeRingIsFoundAndAStarvingOneIsFedAfterTheHoldersCameAndWent() {
        TestConsumer holder = new TestConsumer("holder").releasingTo(queue);
        queue.consumers().add(holder, 100);
        send("m", 10);
        List<Delivery> held = drain(holder);
        assertThat(held).hasSize(10);
        List<TestConsumer> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            TestConsumer c = new TestConsumer("c" + i).releasingTo(queue);
            others.add(c);
            queue.consumers().add(c, 0); // no credit: not starving
        }

        assertThatThrownBy(() -> queue.consumers().add(others.get(5), 0)).isInstanceOf(IllegalStateException.class);
        assertThat(queue.consumers().remove(others.get(3))).isTrue();
        assertThat(queue.consumers().remove(others.get(3))).isFalse();
        assertThat(queue.consumers().addCredit(others.get(3), 10)).as("removed").isFalse();

        TestConsumer hungry = others.get(17);
        assertThat(queue.consumers().addCredit(hungry, 100)).isTrue();
        List<Delivery> moved = drain(hungry);
        assertThat(moved).extracting(d -> d.message().messageId()).containsExactly("m5", "m6", "m7", "m8", "m9");

        // every application takes what it holds: nothing is revocable, a new starving consumer gets nothing
        held.subList(0, 5).forEach(d -> queue.taken(holder, d.lockToken()));
        moved.forEach(d -> queue.taken(hungry, d.lockToken()));
        TestConsumer late = others.get(18);
        queue.consumers().addCredit(late, 100);
        assertThat(drain(late)).isEmpty();

        // late alone may take the next four; a starving consumer then gets the newest half of them
        queue.consumers().setCredit(holder, 0, 0);
        queue.consumers().setCredit(hungry, 0, 0);
        send("n", 4);
        assertThat(drain(late)).hasSize(4);
        TestConsumer last = others.get(19);
        queue.consumers().addCredit(last, 100);
        assertThat(drain(last)).extracting(d -> d.message().messageId()).containsExactly("n2", "n3");
    }

    private void send(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            queue.enqueue(message("q", prefix + i));
        }
    }

    private static List<Delivery> drain(TestConsumer c) {
        List<Delivery> all = new ArrayList<>();
        for (Delivery d; (d = c.deliveries.poll()) != null; ) {
            all.add(d);
        }
        return all;
    }
}
