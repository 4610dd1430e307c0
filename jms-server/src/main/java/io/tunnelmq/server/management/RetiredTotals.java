package io.tunnelmq.server.management;

import io.tunnelmq.server.destination.DestinationListener;
import io.tunnelmq.server.destination.TopicSubscription;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.queue.QueueTotals;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The totals of queues that went away but whose series lives on: a shared series ({@link QueueSeries}) must not
 * count down when one of its temporary queues or unnamed subscriptions goes, or Prometheus would take it for a
 * restart. A queue's own series (a queue or named subscription that was deleted) simply ends. Events that reach a
 * retired queue after it went (a late settle) are not counted. Thread-safe.
 */
final class RetiredTotals implements DestinationListener {
    private final Map<QueueSeries.Key, QueueTotals> totals = new ConcurrentHashMap<>();
    /** Whether a topic is temporary; asked when one of its subscriptions ends. */
    private final Predicate<String> temporaryTopic;

    RetiredTotals(Predicate<String> temporaryTopic) {
        this.temporaryTopic = temporaryTopic;
    }

    @Override
    public void queueRemoved(PeekLockQueue queue, boolean temporary) {
        if (temporary) {
            keep(QueueSeries.ofQueue(queue.name(), true), queue);
        }
    }

    @Override
    public void subscriptionEnded(TopicSubscription subscription, boolean named) {
        if (!named) {
            String topic = subscription.topic().name();
            keep(QueueSeries.ofUnnamed(topic, temporaryTopic.test(topic)), subscription.queue());
        }
    }

    void forEach(BiConsumer<QueueSeries.Key, QueueTotals> action) {
        totals.forEach(action);
    }

    private void keep(QueueSeries.Key key, PeekLockQueue queue) {
        totals.merge(key, queue.figures().totals(), QueueTotals::plus);
    }
}
