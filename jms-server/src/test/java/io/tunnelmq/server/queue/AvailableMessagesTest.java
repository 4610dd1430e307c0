package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.queue.AvailableMessages.Sweep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class AvailableMessagesTest {
    private long sequence;

    private QueuedMessage message(int priority) {
        long seq = ++sequence;
        WireMessage wire = new WireMessage(WireDestination.queue("q"), "ID:" + seq, 0, null, null, null, false,
                priority, 0, 0, Map.of(), BodyType.TEXT, new byte[0]);
        QueuedMessage m = new QueuedMessage(seq, wire, 0);
        m.arrivedAt = seq;
        return m;
    }

    private static List<QueuedMessage> list(Iterator<QueuedMessage> it) {
        List<QueuedMessage> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void behavesAsATreeSetInDeliveryOrderOverRandomArrivalsDispatchesAbandonsAndSweeps() {
        Random random = new Random(19);
        AvailableMessages available = new AvailableMessages();
        TreeSet<QueuedMessage> reference = new TreeSet<>(QueueContents.DELIVERY_ORDER);
        List<QueuedMessage> out = new ArrayList<>(); // taken out, to come back as abandoned ones do
        for (int step = 0; step < 100_000; step++) {
            int op = random.nextInt(20);
            if (op < 7) {
                QueuedMessage m = message(random.nextInt(4) == 0 ? random.nextInt(10) : 4);
                assertThat(available.add(m)).isEqualTo(reference.add(m));
            } else if (op < 11) {
                QueuedMessage m = available.pollFirst();
                assertThat(m).isSameAs(reference.pollFirst());
                if (m != null) {
                    out.add(m);
                }
            } else if (op < 13 && !out.isEmpty()) {
                QueuedMessage m = out.remove(random.nextInt(out.size()));
                assertThat(available.add(m)).isEqualTo(reference.add(m));
                assertThat(available.add(m)).as("in already").isFalse();
            } else if (op < 14 && !reference.isEmpty()) {
                QueuedMessage m = pick(reference, random);
                assertThat(available.contains(m)).isTrue();
                assertThat(available.remove(m)).isEqualTo(reference.remove(m)).isTrue();
                assertThat(available.contains(m)).isFalse();
                assertThat(available.remove(m)).isFalse();
                out.add(m);
            } else if (op < 15) {
                int every = 2 + random.nextInt(5);
                int stopAfter = random.nextInt(reference.size() + 2);
                int[] visited = {0};
                List<QueuedMessage> taken = new ArrayList<>();
                int count = available.sweep(m -> {
                    if (visited[0]++ == stopAfter) {
                        return Sweep.STOP;
                    }
                    if (m.sequence % every != 0) {
                        return Sweep.KEEP;
                    }
                    taken.add(m);
                    return Sweep.TAKE;
                });
                assertThat(count).isEqualTo(taken.size());
                reference.removeAll(taken);
                out.addAll(taken);
            } else if (op < 16 && !reference.isEmpty()) {
                QueuedMessage from = pick(reference, random);
                assertThat(list(available.after(from.orderKey)))
                        .containsExactlyElementsOf(reference.tailSet(from, false));
            } else if (op < 17) {
                int every = 3 + random.nextInt(5);
                List<QueuedMessage> taken = new ArrayList<>();
                available.removeIf(m -> m.sequence % every == 0 && taken.add(m));
                assertThat(reference.removeIf(m -> m.sequence % every == 0)).isEqualTo(!taken.isEmpty());
                out.addAll(taken);
            } else if (op < 18) {
                assertThat(available.first()).isSameAs(reference.isEmpty() ? null : reference.first());
            }
            assertThat(available.size()).isEqualTo(reference.size());
            if (step % 997 == 0) {
                assertThat(list(available.iterator())).containsExactlyElementsOf(reference);
                assertThat(available.oldestArrival()).isEqualTo(reference.stream()
                        .mapToLong(m -> m.arrivedAt).min().orElse(Long.MAX_VALUE));
            }
        }
        assertThat(list(available.iterator())).containsExactlyElementsOf(reference);
    }

    private static QueuedMessage pick(TreeSet<QueuedMessage> reference, Random random) {
        int skip = random.nextInt(reference.size());
        Iterator<QueuedMessage> it = reference.iterator();
        for (int i = 0; i < skip; i++) {
            it.next();
        }
        return it.next();
    }

    @Test
    void higherPrioritiesComeFirstAndEachPriorityInArrivalOrder() {
        AvailableMessages available = new AvailableMessages();
        QueuedMessage low = message(1);
        QueuedMessage normal1 = message(4);
        QueuedMessage high = message(9);
        QueuedMessage normal2 = message(4);
        List.of(normal2, low, high, normal1).forEach(available::add);

        assertThat(list(available.iterator())).containsExactly(high, normal1, normal2, low);
        assertThat(list(available.after(normal1.orderKey))).containsExactly(normal2, low);
        assertThat(list(available.after(-1))).as("before every key").containsExactly(high, normal1, normal2, low);
        assertThat(list(available.after(Long.MAX_VALUE))).as("after every key").isEmpty();
        assertThat(available.oldestArrival()).isEqualTo(low.arrivedAt);
    }

    @Test
    void aSweepTakesManyFromALongBacklogInOnePassAndKeepsTheRestInOrder() {
        AvailableMessages available = new AvailableMessages();
        List<QueuedMessage> kept = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            QueuedMessage m = message(4);
            available.add(m);
            if (i % 2 == 0) {
                kept.add(m);
            }
        }
        int taken = available.sweep(m -> m.sequence % 2 == 0 ? Sweep.TAKE : Sweep.KEEP);

        assertThat(taken).isEqualTo(100_000);
        assertThat(list(available.iterator())).containsExactlyElementsOf(kept);
        while (available.pollFirst() != null) {
            // drains, giving the backlog's array back
        }
        assertThat(available.isEmpty()).isTrue();
        assertThat(available.first()).isNull();
    }

    @Test
    void changingItDuringASweepOrAWalkFailsFastAndLosesNothing() {
        AvailableMessages available = new AvailableMessages();
        QueuedMessage a = message(4);
        QueuedMessage b = message(4);
        available.add(a);
        available.add(b);

        assertThatThrownBy(() -> available.sweep(m -> {
            available.remove(m);
            return Sweep.KEEP;
        })).isInstanceOf(ConcurrentModificationException.class);
        Iterator<QueuedMessage> walk = available.iterator();
        walk.next();
        available.add(message(4));
        assertThatThrownBy(walk::next).isInstanceOf(ConcurrentModificationException.class);
        assertThat(available).hasSize(3).contains(a, b);
    }

    @Test
    void aSweeperThatThrowsLeavesWhatItTookOutAndTheRestInOrder() {
        AvailableMessages available = new AvailableMessages();
        List<QueuedMessage> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(message(4));
        }
        all.forEach(available::add);
        int[] visited = {0};

        assertThatThrownBy(() -> available.sweep(m -> {
            if (++visited[0] == 6) {
                throw new IllegalStateException("selector failed");
            }
            return visited[0] % 2 == 0 ? Sweep.TAKE : Sweep.KEEP;
        })).hasMessage("selector failed");
        assertThat(list(available.iterator())).containsExactly(all.get(0), all.get(2), all.get(4), all.get(5),
                all.get(6), all.get(7), all.get(8), all.get(9));
        assertThat(available).hasSize(8);
    }
}
