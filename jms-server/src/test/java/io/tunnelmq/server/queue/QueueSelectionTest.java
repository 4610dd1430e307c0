package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.selector.Selector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tunnelmq.server.queue.TestSettle.abandon;
import static io.tunnelmq.server.queue.TestSettle.complete;
import static io.tunnelmq.server.queue.TestSettle.release;
import static org.assertj.core.api.Assertions.assertThat;

/** Selectors, priority order, expiry and delivery delay in the peek-lock engine. */
@Timeout(10)
class QueueSelectionTest {
    private ManualTimer timer;
    private PeekLockQueue queue;

    @BeforeEach
    void setUp() {
        timer = new ManualTimer();
        queue = TestQueues.queue("q", timer, new QueueSettings(60_000, 5));
    }

    private static WireMessage msg(String id, String color, int priority, long expiration, long deliveryTime) {
        return new WireMessage(WireDestination.queue("q"), id, 0, null, null, null, false, priority, expiration,
                deliveryTime, Map.of("color", color), BodyType.TEXT, null);
    }

    private static WireMessage msg(String id, String color) {
        return msg(id, color, 4, 0, 0);
    }

    @Test
    void aSelectingConsumerSkipsWhatItDoesNotSelectAndLeavesItForOthers() {
        queue.enqueue(msg("r1", "red"));
        queue.enqueue(msg("b1", "blue"));
        queue.enqueue(msg("r2", "red"));
        queue.enqueue(msg("b2", "blue"));
        RevocableConsumer blue = RevocableConsumer.selecting("color = 'blue'");
        queue.consumers().add(blue, 10);
        assertThat(blue.ids()).containsExactly("b1", "b2");
        assertThat(queue.stats().available()).isEqualTo(2);

        RevocableConsumer red = RevocableConsumer.selecting("color = 'red'");
        queue.consumers().add(red, 10);
        assertThat(red.ids()).containsExactly("r1", "r2");
        assertThat(queue.stats().available()).isZero();
    }

    @Test
    void aMessageNobodySelectsWaitsForAConsumerWithoutSelector() {
        RevocableConsumer blue = RevocableConsumer.selecting("color = 'blue'");
        queue.consumers().add(blue, 10);
        queue.enqueue(msg("g1", "green"));
        queue.enqueue(msg("b1", "blue"));
        assertThat(blue.ids()).containsExactly("b1");

        RevocableConsumer all = RevocableConsumer.selecting(null);
        queue.consumers().add(all, 10);
        assertThat(all.ids()).containsExactly("g1");
    }

    @Test
    void creditIsSpentOnlyOnSelectedMessages() {
        for (int i = 0; i < 5; i++) {
            queue.enqueue(msg("g" + i, "green"));
        }
        queue.enqueue(msg("b1", "blue"));
        queue.enqueue(msg("b2", "blue"));
        RevocableConsumer blue = RevocableConsumer.selecting("color = 'blue'");
        queue.consumers().add(blue, 1);
        assertThat(blue.ids()).containsExactly("b1");
        queue.consumers().addCredit(blue, 1);
        assertThat(blue.ids()).containsExactly("b1", "b2");
    }

    @Test
    void aBacklogNobodySelectsIsJudgedOnceUntilAConsumerComesOrGoes() {
        AtomicInteger looks = new AtomicInteger();
        Map<String, Object> green = new HashMap<>(Map.of("color", "green")) {
            @Override
            public Object get(Object key) {
                looks.incrementAndGet();
                return super.get(key);
            }
        };
        RevocableConsumer red = RevocableConsumer.selecting("color = 'red'");
        queue.consumers().add(red, 1);
        for (int i = 0; i < 100; i++) {
            queue.enqueue(new WireMessage(WireDestination.queue("q"), "g" + i, 0, null, null, null, false, 4, 0, 0,
                    green, BodyType.TEXT, null));
        }
        queue.consumers().addCredit(red, 1); // a pass over the green backlog: judged, and marked
        int judged = looks.get();
        for (int i = 0; i < 50; i++) {
            queue.enqueue(msg("r" + i, "red"));
            assertThat(red.deliveries.poll()).isNotNull();
            queue.consumers().addCredit(red, 1); // each credit dispatches: another pass
        }
        assertThat(looks.get()).as("the green backlog is not judged again at every pass").isEqualTo(judged);

        RevocableConsumer blue = RevocableConsumer.selecting("color = 'blue'");
        queue.consumers().add(blue, 1); // a new consumer may select what the others did not
        assertThat(looks.get()).isGreaterThan(judged);
        RevocableConsumer greens = RevocableConsumer.selecting("color = 'green'");
        queue.consumers().add(greens, 100);
        assertThat(greens.deliveries).hasSize(100);
        assertThat(queue.stats().available()).isZero();
    }

    @Test
    void anArrivalIsMatchedAgainstEveryConsumerWhileTheBacklogWaits() {
        RevocableConsumer blue = RevocableConsumer.selecting("color = 'blue'");
        RevocableConsumer red = RevocableConsumer.selecting("color = 'red'");
        queue.consumers().add(blue, 10);
        queue.consumers().add(red, 1);
        for (int i = 0; i < 3; i++) {
            queue.enqueue(msg("g" + i, "green"));
        }
        queue.enqueue(msg("r1", "red"));
        queue.enqueue(msg("r2", "red"));
        queue.enqueue(msg("b1", "blue"));
        assertThat(blue.ids()).containsExactly("b1");
        assertThat(red.ids()).containsExactly("r1");
        queue.consumers().addCredit(red, 1);
        assertThat(red.ids()).containsExactly("r1", "r2");
        assertThat(queue.stats().available()).isEqualTo(3);

        long expiration = timer.now() + 10;
        timer.moveClockOnly(20);
        queue.enqueue(msg("b-expired", "blue", 4, expiration, 0));
        assertThat(blue.ids()).containsExactly("b1");
        assertThat(queue.stats().available()).isEqualTo(3);
    }

    @Test
    void anAbandonedMessageGoesBackToAConsumerThatSelectsIt() {
        queue.enqueue(msg("b1", "blue"));
        RevocableConsumer red = RevocableConsumer.selecting("color = 'red'");
        RevocableConsumer blue = RevocableConsumer.selecting("color = 'blue'");
        queue.consumers().add(red, 10);
        queue.consumers().add(blue, 10);
        Delivery first = blue.deliveries.poll();
        assertThat(abandon(queue, blue, first.lockToken())).isEqualTo(SettleResult.OK);
        assertThat(red.deliveries).isEmpty();
        assertThat(blue.ids()).containsExactly("b1");
        assertThat(blue.deliveries.peek().deliveryCount()).isEqualTo(2);
    }

    @Test
    void aSelectorOnJmsxDeliveryCountSeesTheRedeliveryCount() {
        queue.enqueue(msg("m1", "x"));
        RevocableConsumer first = RevocableConsumer.selecting("JMSXDeliveryCount = 1");
        queue.consumers().add(first, 10);
        Delivery d = first.deliveries.poll();
        RevocableConsumer retries = RevocableConsumer.selecting("JMSXDeliveryCount > 1");
        queue.consumers().add(retries, 10);
        abandon(queue, first, d.lockToken());
        assertThat(first.deliveries).isEmpty();
        assertThat(retries.ids()).containsExactly("m1");
        assertThat(retries.deliveries.peek().deliveryCount()).isEqualTo(2);
    }

    @Test
    void anIdleSelectingConsumerIsOwedOnlyPrefetchedMessagesItSelects() {
        RevocableConsumer greedy = RevocableConsumer.selecting(null);
        queue.consumers().add(greedy, 10);
        queue.enqueue(msg("r1", "red"));
        queue.enqueue(msg("r2", "red"));
        queue.enqueue(msg("b1", "blue"));
        queue.enqueue(msg("b2", "blue"));
        queue.enqueue(msg("b3", "blue"));
        assertThat(greedy.ids()).containsExactly("r1", "r2", "b1", "b2", "b3");

        RevocableConsumer blue = RevocableConsumer.selecting("color = 'blue'");
        queue.consumers().add(blue, 10);
        assertThat(greedy.revoked).hasSize(1);
        List<String> revokedIds = new ArrayList<>();
        for (long token : greedy.revoked.get(0)) {
            for (Delivery d : greedy.deliveries) {
                if (d.lockToken() == token) {
                    revokedIds.add(d.message().messageId());
                }
            }
        }
        assertThat(revokedIds).containsExactly("b2", "b3"); // the newest half of the three it selects

        RevocableConsumer red = RevocableConsumer.selecting("color = 'green'");
        queue.consumers().add(red, 10);
        assertThat(greedy.revoked).as("nothing prefetched is green").hasSize(1);
    }

    @Test
    void randomSelectorsCreditAndSettlementsNeverLoseStrandOrMisdeliverAMessage() {
        java.util.Random random = new java.util.Random(42);
        String[] colors = {"red", "blue", "green", "white"};
        List<RevocableConsumer> consumers = List.of(RevocableConsumer.selecting("color = 'red'"), RevocableConsumer.selecting("color IN ('blue', 'red')"),
                RevocableConsumer.selecting("color <> 'white' AND color <> 'red'"), RevocableConsumer.selecting(null));
        java.util.Set<String> completed = new java.util.HashSet<>();
        int sent = 0;
        for (RevocableConsumer c : consumers.subList(0, 3)) {
            queue.consumers().add(c, 1);
        }
        for (int round = 0; round < 2_000; round++) {
            int action = random.nextInt(10);
            if (action < 5) {
                queue.enqueue(msg("m" + sent, colors[random.nextInt(colors.length)], random.nextInt(10), 0, 0));
                sent++;
            } else {
                RevocableConsumer c = consumers.get(random.nextInt(3));
                Delivery d = c.deliveries.poll();
                if (d != null) {
                    assertThat(Selector.matches(c.selector(), d.message())).as("delivered only what it selects").isTrue();
                    if (action == 9) {
                        abandon(queue, c, d.lockToken());
                    } else {
                        assertThat(complete(queue, c, d.lockToken())).isEqualTo(SettleResult.OK);
                        assertThat(completed.add(d.message().messageId())).as("completed once").isTrue();
                    }
                }
                queue.consumers().addCredit(c, 1);
            }
        }
        // whatever is left, including what no selector takes (white), goes to a consumer without one
        for (RevocableConsumer c : consumers.subList(0, 3)) {
            queue.consumers().remove(c);
            for (Delivery d : c.deliveries) {
                release(queue, c, d.lockToken());
            }
            c.deliveries.clear();
        }
        RevocableConsumer all = consumers.get(3);
        queue.consumers().add(all, Integer.MAX_VALUE);
        for (Delivery d : all.deliveries) {
            assertThat(completed.add(d.message().messageId())).as("completed once").isTrue();
        }
        assertThat(completed).hasSize(sent);
    }

    @Test
    void higherPriorityFirstAndFifoWithinAPriority() {
        queue.enqueue(msg("low1", "x", 1, 0, 0));
        queue.enqueue(msg("high1", "x", 9, 0, 0));
        queue.enqueue(msg("mid1", "x", 4, 0, 0));
        queue.enqueue(msg("high2", "x", 9, 0, 0));
        queue.enqueue(msg("low2", "x", 1, 0, 0));
        queue.enqueue(msg("mid2", "x", 4, 0, 0));
        RevocableConsumer c = RevocableConsumer.selecting(null);
        queue.consumers().add(c, 10);
        assertThat(c.ids()).containsExactly("high1", "high2", "mid1", "mid2", "low1", "low2");
    }

    @Test
    void anAbandonedMessageKeepsItsPlaceWithinItsPriority() {
        queue.enqueue(msg("mid1", "x", 4, 0, 0));
        queue.enqueue(msg("mid2", "x", 4, 0, 0));
        RevocableConsumer c = RevocableConsumer.selecting(null);
        queue.consumers().add(c, 1);
        Delivery mid1 = c.deliveries.poll();
        queue.enqueue(msg("high", "x", 9, 0, 0));
        queue.enqueue(msg("mid3", "x", 4, 0, 0));
        queue.settle(c, mid1.lockToken(), SettleOutcome.RELEASE, null);
        queue.consumers().addCredit(c, 4);
        assertThat(c.ids()).containsExactly("high", "mid1", "mid2", "mid3");
    }

    @Test
    void priorityAppliesToSelectingConsumersToo() {
        queue.enqueue(msg("b-low", "blue", 0, 0, 0));
        queue.enqueue(msg("r-high", "red", 9, 0, 0));
        queue.enqueue(msg("b-high", "blue", 8, 0, 0));
        RevocableConsumer blue = RevocableConsumer.selecting("color = 'blue'");
        queue.consumers().add(blue, 10);
        assertThat(blue.ids()).containsExactly("b-high", "b-low");
    }

    @Test
    void anExpiredMessageIsNeverDelivered() {
        long now = timer.now();
        queue.enqueue(msg("expires", "x", 4, now + 100, 0));
        queue.enqueue(msg("lives", "x", 4, 0, 0));
        timer.advance(200);
        RevocableConsumer c = RevocableConsumer.selecting(null);
        queue.consumers().add(c, 10);
        assertThat(c.ids()).containsExactly("lives");
        assertThat(queue.stats().bytes()).isEqualTo(msg("lives", "x").sizeEstimate());
    }

    @Test
    void anExpiredMessageIsNeverDeliveredToASelectingConsumer() {
        long now = timer.now();
        queue.enqueue(msg("expires", "blue", 4, now + 100, 0));
        queue.enqueue(msg("lives", "blue", 4, 0, 0));
        timer.advance(200);
        RevocableConsumer c = RevocableConsumer.selecting("color = 'blue'");
        queue.consumers().add(c, 10);
        assertThat(c.ids()).containsExactly("lives");
        assertThat(queue.stats().available()).isZero();
    }

    @Test
    void aDelayedMessageIsDeliveredOnlyAtItsDeliveryTime() {
        RevocableConsumer c = RevocableConsumer.selecting(null);
        queue.consumers().add(c, 10);
        queue.enqueue(msg("later", "x", 4, 0, timer.now() + 5_000));
        queue.enqueue(msg("now", "x", 4, 0, 0));
        assertThat(c.ids()).containsExactly("now");
        assertThat(queue.stats().scheduled()).isEqualTo(1);
        timer.advance(4_999);
        assertThat(c.ids()).containsExactly("now");
        timer.advance(1);
        assertThat(c.ids()).containsExactly("now", "later");
    }
}
