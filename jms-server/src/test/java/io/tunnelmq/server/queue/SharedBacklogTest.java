package io.tunnelmq.server.queue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.tunnelmq.server.queue.TestMessages.message;
import static io.tunnelmq.server.queue.TestSettle.abandon;
import static io.tunnelmq.server.queue.TestSettle.release;
import static org.assertj.core.api.Assertions.assertThat;

/** A queue sharing its backlog with other brokers asks for what its consumers can take and hands back the rest. */
@Timeout(10)
class SharedBacklogTest {
    private final ManualTimer timer = new ManualTimer();
    private final RecordingDemand demand = new RecordingDemand();
    private PeekLockQueue queue;

    @BeforeEach
    void setUp() {
        queue = TestQueues.queue("q", timer, new QueueSettings(60_000, 5, new RedeliveryPolicy(1_000, 1.0, 1_000)));
        queue.sharing().share(demand);
    }

    @Test
    void consumersWithCreditAskForWhatTheyCanTakeBeyondWhatIsHeld() {
        assertThat(demand.wanted).isEmpty(); // nobody to take anything yet
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        assertThat(demand.wanted).last().isEqualTo(10);

        queue.restore(message("q", "a"), 1, 1);
        queue.restore(message("q", "b"), 2, 1);
        assertThat(c.deliveries).hasSize(2);
        assertThat(demand.wanted).last().isEqualTo(8);
    }

    @Test
    void aStoredMessageGivenToASharedQueueWaitsInTheStoreUntilClaimed() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        queue.enqueue(message("q", "sent"), 7);
        assertThat(demand.arrivals).isEqualTo(1);
        assertThat(c.deliveries).isEmpty();
        assertThat(queue.stats().available()).isZero();

        queue.enqueue(message("q", "not stored"), 0); // a broker's own (temporary) message stays here
        assertThat(c.deliveries).hasSize(1);
    }

    @Test
    void waitingMessagesWithNoConsumerHereAreHandedBackWithTheirCountsAndDueTimes() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 1);
        queue.restore(message("q", "a"), 1, 1);
        queue.restore(message("q", "b"), 2, 3);
        Delivery first = c.take();
        assertThat(abandon(queue, c, first.lockToken())).isEqualTo(SettleResult.OK); // redelivery delay: scheduled
        queue.consumers().remove(c);
        assertThat(demand.surpluses).isPositive();

        List<HandedBack> back = queue.sharing().handBack(10);
        assertThat(back).extracting(HandedBack::storeId).containsExactly(2L, 1L);
        assertThat(back.get(0)).isEqualTo(new HandedBack(2, 3, 0, false, 0));
        assertThat(back.get(1).deliveryCount()).isEqualTo(2);
        assertThat(back.get(1).deliverAtMillis()).isEqualTo(timer.now() + 1_000);
        assertThat(queue.stats().available() + queue.stats().scheduled()).isZero();
        assertThat(queue.memory().used()).isZero();

        timer.advance(1_000); // the abandoned one's redelivery timer finds it gone
        assertThat(queue.stats().available()).isZero();
    }

    @Test
    void handBackTakesAtMostWhatIsAskedAndLeavesLockedMessages() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 1);
        for (int i = 1; i <= 5; i++) {
            queue.restore(message("q", "m" + i), i, 1);
        }
        assertThat(queue.sharing().handBack(2)).as("its consumers may take them").isEmpty();
        queue.consumers().remove(c);
        assertThat(queue.sharing().handBack(2)).extracting(HandedBack::storeId).containsExactly(2L, 3L);
        assertThat(queue.stats().locked()).isEqualTo(1);
        assertThat(queue.stats().available()).isEqualTo(2);
    }

    @Test
    void prefetchYieldedToOtherBrokersIsHandedBackOnceReleasedUnlessAConsumerHereStarves() {
        TestConsumer c = new TestConsumer("c");
        queue.consumers().add(c, 10);
        for (int i = 1; i <= 4; i++) {
            queue.restore(message("q", "m" + i), i, 1);
        }
        assertThat(queue.sharing().yieldPrefetch()).isEqualTo(2);
        assertThat(queue.sharing().handBack(10)).as("nothing came back yet").isEmpty();
        List<Delivery> held = List.of(c.take(), c.take(), c.take(), c.take());
        release(queue, c, held.get(2).lockToken());
        release(queue, c, held.get(3).lockToken());
        assertThat(demand.surpluses).as("owed back").isPositive();
        assertThat(queue.sharing().handBack(10)).extracting(HandedBack::storeId).containsExactly(3L, 4L);
        assertThat(queue.sharing().handBack(10)).as("no more owed").isEmpty();
    }

    @Test
    void whatNoConsumerSelectsIsDeclinedOnceItBlocksClaimsAndTakenBackWhenConsumersChange() {
        TestConsumer red = TestConsumer.selecting("red", "color = 'red'");
        queue.consumers().add(red, 2);
        for (int i = 1; i <= 3; i++) {
            queue.restore(colored("b" + i, "blue"), i, 1);
        }
        int asked = demand.surpluses;
        assertThat(asked).as("three held, credit for two: claims are blocked").isPositive();
        List<HandedBack> back = queue.sharing().handBack(10);
        assertThat(back).extracting(HandedBack::storeId).containsExactly(1L, 2L, 3L);
        assertThat(back).allMatch(HandedBack::declined);
        queue.sharing().askDemand(); // as the feed does once they are back in the store
        assertThat(demand.wanted).last().isEqualTo(2);

        assertThat(demand.consumerChanges).isZero();
        queue.consumers().add(TestConsumer.selecting("blue", "color = 'blue'"), 1);
        assertThat(demand.consumerChanges).as("what was declined may be selected now").isEqualTo(1);
    }

    private static io.tunnelmq.protocol.message.WireMessage colored(String id, String color) {
        return new io.tunnelmq.protocol.message.WireMessage(io.tunnelmq.protocol.message.WireDestination.queue("q"),
                id, 0, null, null, null, false, 4, 0, 0, java.util.Map.of("color", color),
                io.tunnelmq.protocol.message.BodyType.TEXT, id.getBytes());
    }

    private static final class RecordingDemand implements QueueDemand {
        final List<Integer> wanted = new CopyOnWriteArrayList<>();
        volatile int surpluses;
        volatile int arrivals;
        volatile int consumerChanges;

        @Override
        public void wants(int messages) {
            wanted.add(messages);
        }

        @Override
        public void surplus() {
            surpluses++;
        }

        @Override
        public void arrived() {
            arrivals++;
        }

        @Override
        public void consumersChanged() {
            consumerChanges++;
        }
    }
}
