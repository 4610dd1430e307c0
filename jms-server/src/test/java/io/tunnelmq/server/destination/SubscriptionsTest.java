package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.queue.QueueSettings;
import io.tunnelmq.server.queue.QueueTimer;
import io.tunnelmq.server.store.DurableSubscription;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules of named subscriptions, and their bookkeeping under concurrent attach and detach. */
@Timeout(30)
class SubscriptionsTest {
    private DestinationRegistry destinations;
    private Subscriptions subscriptions;

    @BeforeEach
    void setUp() {
        QueueTimer never = new QueueTimer() {
            @Override
            public long now() {
                return System.currentTimeMillis();
            }

            @Override
            public Cancellable schedule(Runnable task, long delayMillis) {
                return () -> { }; // no message here is locked long enough to expire
            }
        };
        destinations = new DestinationRegistry(never, new MemoryTracker(1L << 30),
                q -> new QueueSettings(60_000, 10));
        subscriptions = destinations.subscriptions();
    }

    private static Subscriptions.Request shared(String topic, String name, boolean durable, String connection) {
        return new Subscriptions.Request(topic, null, name, durable, true, null, false, connection);
    }

    @Test
    void sharedConsumersJoinOneSubscriptionWhichEndsWithTheLastUnlessDurable() {
        SubscriptionLease a = subscriptions.attach(shared("t", "s", false, "c1"));
        SubscriptionLease b = subscriptions.attach(shared("t", "s", false, "c2"));
        assertThat(a.queue()).isSameAs(b.queue());
        assertThat(destinations.topic("t").subscriptionCount()).isEqualTo(1);
        subscriptions.detach(a);
        subscriptions.detach(a); // idempotent
        assertThat(subscriptions.size()).isEqualTo(1);
        subscriptions.detach(b);
        assertThat(subscriptions.size()).isZero();
        assertThat(destinations.topic("t").subscriptionCount()).isZero();

        SubscriptionLease d = subscriptions.attach(shared("t", "s", true, "c1"));
        subscriptions.detach(d);
        assertThat(subscriptions.size()).as("a durable one stays").isEqualTo(1);
        subscriptions.unsubscribe(null, "s");
        assertThat(subscriptions.size()).isZero();
    }

    @Test
    void refusalsSayWhatWasWrong() {
        assertThatThrownBy(() -> subscriptions.attach(new Subscriptions.Request("t", null, "u", true, false, null,
                false, "c1"))).isInstanceOfSatisfying(BrokerException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CLIENT_ID));
        subscriptions.attach(new Subscriptions.Request("t", "id", "u", true, false, null, false, "c1"));
        assertThatThrownBy(() -> subscriptions.attach(new Subscriptions.Request("t", "id", "u", true, false, null,
                false, "c1"))).isInstanceOfSatisfying(BrokerException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.ILLEGAL_STATE));
        assertThatThrownBy(() -> subscriptions.attach(new Subscriptions.Request("t", "id", "u", true, true, null,
                false, "c1"))).isInstanceOfSatisfying(BrokerException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SUBSCRIPTION));
        subscriptions.attach(shared("t", "live", false, "c1"));
        assertThatThrownBy(() -> subscriptions.attach(new Subscriptions.Request("t", null, "live", false, true,
                "a = 1", false, "c2"))).isInstanceOfSatisfying(BrokerException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SUBSCRIPTION);
                    assertThat(e.getMessage()).contains("'a = 1'", "(none)");
                });
        assertThatThrownBy(() -> subscriptions.unsubscribe("id", "nope")).isInstanceOfSatisfying(
                BrokerException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DESTINATION));
        assertThatThrownBy(() -> subscriptions.unsubscribe("id", "u")).isInstanceOfSatisfying(
                BrokerException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ILLEGAL_STATE));
    }

    @Test
    void aRowLearnedFromTheOtherBrokersBeforeRecoveryReadItIsRestoredOnce() {
        DurableSubscription daily = new DurableSubscription("reader", "daily", "news", null, false, false);
        subscriptions.resync(Map.of(7L, daily)); // the wake-up listener's first resync won the race
        TopicSubscription learned = destinations.subscriptions().restore(7L, daily); // then recovery read the row
        assertThat(learned.storeId()).isEqualTo(7L);
        assertThat(subscriptions.size()).isEqualTo(1);
        assertThat(destinations.topic("news").subscriptionCount()).isEqualTo(1);
        assertThatThrownBy(() -> subscriptions.restore(8L, daily)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stored twice (store ids 7 and 8)");
    }

    @Test
    void aResyncForgetsOnlyWhatItsRowsShouldHaveHeld() {
        subscriptions.restore(7L, new DurableSubscription("reader", "daily", "news", null, false, false));
        long asOf = subscriptions.stamp(); // the rows are read from here on
        subscriptions.restore(8L, new DurableSubscription("reader", "weekly", "news", null, false, false));
        subscriptions.resync(Map.of(), asOf); // neither row in them: "daily" was removed elsewhere, "weekly" is newer
        assertThat(subscriptions.terms("reader", "daily", true)).isEmpty();
        assertThat(subscriptions.terms("reader", "weekly", true)).isPresent();
    }

    @Test
    void aRowOfAKnownNameUnderAnotherIdReplacesTheOneKnownUnlessThatOneIsNewerThanTheRow() {
        DurableSubscription daily = new DurableSubscription("reader", "daily", "news", null, false, false);
        subscriptions.restore(7L, daily);
        // unsubscribed and made again through another broker, the removal's notice not here: one row per name
        subscriptions.changedElsewhere(9L, daily);
        assertThat(subscriptions.named()).singleElement().extracting(NamedSubscription::storeId).isEqualTo(9L);
        assertThat(destinations.topic("news").subscriptionCount()).as("the stale one went").isEqualTo(1);

        long asOf = subscriptions.stamp(); // a resync's rows are read from here on: row 9 is in them
        subscriptions.changedElsewhere(9L, null);
        subscriptions.restore(11L, daily); // made again here meanwhile
        subscriptions.resync(Map.of(9L, daily), asOf);
        assertThat(subscriptions.named()).as("newer than the rows").singleElement()
                .extracting(NamedSubscription::storeId).isEqualTo(11L);
    }

    @Test
    void aSubscriptionRemovedThroughAnotherBrokerWhileItHasAConsumerHereGoesWithThatConsumer() {
        DurableSubscription daily = new DurableSubscription("reader", "daily", "news", null, false, false);
        subscriptions.restore(7L, daily);
        SubscriptionLease lease = subscriptions.attach(new Subscriptions.Request("news", "reader", "daily", true, false,
                null, false, "c1"));
        subscriptions.changedElsewhere(7L, null);
        assertThat(subscriptions.size()).as("its consumer is open").isEqualTo(1);
        subscriptions.detach(lease);
        assertThat(subscriptions.size()).isZero();
        assertThat(destinations.topic("news").subscriptionCount()).isZero();
    }

    @Test
    void concurrentAttachAndDetachLeaveNoSubscriptionBehind() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String connection = "c" + i;
                work.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int round = 0; round < 500; round++) {
                        SubscriptionLease lease = subscriptions.attach(shared("busy", "s", false, connection));
                        assertThat(destinations.topic("busy").subscriptionCount()).isEqualTo(1);
                        subscriptions.detach(lease);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(subscriptions.size()).isZero();
        assertThat(destinations.topic("busy").subscriptionCount()).isZero();
    }
}
