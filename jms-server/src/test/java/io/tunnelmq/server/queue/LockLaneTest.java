package io.tunnelmq.server.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class LockLaneTest {
    private final LockLane lane = new LockLane(1_000, true);
    private long numbers;

    /** A message whose lock just started (or was renewed): numbered and added at the back. */
    private QueuedMessage add(QueuedMessage m) {
        m.deadline = ++numbers;
        lane.add(m);
        return m;
    }

    private static QueuedMessage message(int i) {
        return new QueuedMessage(i, TestMessages.message("q", "m" + i), 0);
    }

    private List<QueuedMessage> drain() {
        List<QueuedMessage> out = new ArrayList<>();
        for (QueuedMessage m = lane.first(); m != null; m = lane.first()) {
            out.add(m);
            lane.removeFirst();
        }
        return out;
    }

    @Test
    void entriesLeaveInTheOrderTheyCameAndStaleOnesAreSkipped() {
        List<QueuedMessage> expected = new ArrayList<>();
        List<QueuedMessage> renewed = new ArrayList<>();
        for (int i = 0; i < 100; i++) { // past the first capacity, and around the ring
            QueuedMessage m = add(message(i));
            if (i % 3 == 0) {
                m.deadline = 0; // its lock ended
            } else if (i < 10) {
                renewed.add(m); // renewed below: its entry here goes stale, the newer one comes last
            } else {
                expected.add(m);
            }
        }
        renewed.forEach(this::add);
        expected.addAll(renewed);

        assertThat(drain()).containsExactlyElementsOf(expected);
        assertThat(lane.size()).isZero();
        assertThat(lane.isEmpty()).isTrue();
    }

    @Test
    void compactionDropsTheStaleEntriesAndKeepsTheLiveOnesInOrder() {
        List<QueuedMessage> live = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            QueuedMessage m = add(message(i));
            if (i % 4 == 0) {
                live.add(m);
            } else {
                m.deadline = 0;
            }
        }
        lane.first();
        lane.removeFirst(); // the front moves on, so the compacted entries start mid-ring
        for (int i = 40; i < 50; i++) {
            live.add(add(message(i))); // wrapping around the end of the ring
        }
        live.remove(0);

        lane.compact();

        assertThat(lane.size()).isEqualTo(live.size());
        assertThat(drain()).containsExactlyElementsOf(live);
    }

    @Test
    void aGraceLaneHasNoGraceLaneOfItsOwn() {
        assertThat(lane.grace).isNotNull();
        assertThat(lane.grace.grace).isNull();
        QueuedMessage m = add(message(1));
        lane.first();
        lane.removeFirst();
        lane.grace.add(m); // moved with its number
        assertThat(lane.isEmpty()).as("a live entry in the grace lane").isFalse();
        m.deadline = 0;
        assertThat(lane.isEmpty()).isTrue();
    }
}
