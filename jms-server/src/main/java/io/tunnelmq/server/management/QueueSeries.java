package io.tunnelmq.server.management;

import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.destination.NamedSubscription;
import io.tunnelmq.server.destination.Topic;
import io.tunnelmq.server.destination.TopicSubscription;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.queue.QueueFigures;
import io.tunnelmq.server.queue.QueueStats;
import io.tunnelmq.server.queue.QueueTotals;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoredQueue;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The series monitoring shows for the broker's queues and subscriptions, and which queues each one stands for. A
 * queue is its own series, and so is a named (durable or shared) subscription ({@code topic:clientId.name}). Queues
 * that come and go by the thousand share one series, so that monitoring stays affordable: every temporary queue and
 * temporary topic subscription is {@value #TEMPORARY}, and a topic's unnamed subscriptions (one per non-durable
 * consumer) are {@code topic:}{@value #NON_DURABLE}. Such a shared series keeps counting what its queues did after
 * they are gone ({@link RetiredTotals}), so its totals never go down.
 */
final class QueueSeries {
    /** The one series of every temporary queue and temporary topic subscription. */
    static final String TEMPORARY = "(temporary)";
    /** A topic's unnamed subscriptions' series, after {@code topic:}. */
    static final String NON_DURABLE = "(non-durable)";

    /** What a series is of. */
    enum Type {
        QUEUE("queue"), TEMPORARY("temporary"), SUBSCRIPTION("subscription");

        final String label;

        Type(String label) {
            this.label = label;
        }
    }

    /** A series: its {@code queue} label and what it is of. */
    record Key(String queue, Type type) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            int byName = queue.compareTo(other.queue);
            return byName != 0 ? byName : type.compareTo(other.type);
        }
    }

    private QueueSeries() {
    }

    /** The series of a queue of the registry. */
    static Key ofQueue(String name, boolean temporary) {
        return temporary ? new Key(TEMPORARY, Type.TEMPORARY) : new Key(name, Type.QUEUE);
    }

    /** The series of a named subscription. */
    static Key ofNamed(NamedSubscription s) {
        return new Key(s.operatorName(), Type.SUBSCRIPTION);
    }

    /** The series of an unnamed subscription of a topic. */
    static Key ofUnnamed(String topic, boolean temporaryTopic) {
        return temporaryTopic ? new Key(TEMPORARY, Type.TEMPORARY) : new Key(topic + ":" + NON_DURABLE,
                Type.SUBSCRIPTION);
    }

    /**
     * Every series with its figures now, in name order: one visit per queue under its lock, so the cost grows with
     * the number of queues, never with the number of messages.
     */
    static Map<Key, QueueFigures> collect(DestinationRegistry destinations, RetiredTotals retired) {
        Map<Key, QueueFigures> series = new TreeMap<>();
        for (PeekLockQueue queue : destinations.queues()) {
            add(series, ofQueue(queue.name(), destinations.isTemporaryQueue(queue.name())), queue.figures());
        }
        Set<PeekLockQueue> named = Collections.newSetFromMap(new IdentityHashMap<>());
        for (NamedSubscription s : destinations.subscriptions().named()) {
            named.add(s.queue());
            add(series, ofNamed(s), s.queue().figures());
        }
        for (Topic topic : destinations.topics()) {
            for (TopicSubscription s : topic.subscriptions()) {
                if (!named.contains(s.queue())) {
                    add(series, ofUnnamed(topic.name(), destinations.isTemporaryTopic(topic.name())),
                            s.queue().figures());
                }
            }
        }
        retired.forEach((key, totals) -> add(series, key, new QueueFigures(EMPTY_STATS, totals, 0)));
        return series;
    }

    /**
     * Over a store shared with other brokers, what the store holds of each series, as its backlog says: every queue it
     * holds messages of (here or not; temporary ones, any broker's, summed as their figures are), every named
     * subscription it keeps, and this broker's unnamed subscriptions it keeps, summed per topic as their figures are.
     */
    static Map<Key, SharedQueues.QueueBacklog> stored(DestinationRegistry destinations, SharedQueues.Backlog backlog) {
        Map<Key, SharedQueues.QueueBacklog> series = new TreeMap<>();
        backlog.queues().forEach((queue, held) -> series.merge(ofQueue(queue,
                queue.startsWith(WireDestination.TEMPORARY_PREFIX)), held, QueueSeries::sum));
        Set<PeekLockQueue> named = Collections.newSetFromMap(new IdentityHashMap<>());
        for (NamedSubscription s : destinations.subscriptions().named()) {
            named.add(s.queue());
            if (s.storeId() != 0) {
                series.merge(ofNamed(s), backlog.of(StoredQueue.subscription(s.storeId())), QueueSeries::sum);
            }
        }
        for (Topic topic : destinations.topics()) {
            for (TopicSubscription s : topic.subscriptions()) {
                if (!named.contains(s.queue()) && s.storeId() != 0) {
                    series.merge(ofUnnamed(topic.name(), destinations.isTemporaryTopic(topic.name())),
                            backlog.of(StoredQueue.subscription(s.storeId())), QueueSeries::sum);
                }
            }
        }
        return series;
    }

    private static SharedQueues.QueueBacklog sum(SharedQueues.QueueBacklog a, SharedQueues.QueueBacklog b) {
        return new SharedQueues.QueueBacklog(a.messages() + b.messages(), a.claimed() + b.claimed());
    }

    private static final QueueStats EMPTY_STATS = new QueueStats(0, 0, 0, 0, 0, 0);

    private static void add(Map<Key, QueueFigures> series, Key key, QueueFigures figures) {
        series.merge(key, figures, QueueSeries::sum);
    }

    /** Two queues' figures as one series: counts add up, the oldest message is the older one. */
    static QueueFigures sum(QueueFigures a, QueueFigures b) {
        QueueStats x = a.stats();
        QueueStats y = b.stats();
        QueueStats stats = new QueueStats(x.available() + y.available(), x.locked() + y.locked(),
                x.scheduled() + y.scheduled(), x.delivered() + y.delivered(), x.consumers() + y.consumers(),
                x.bytes() + y.bytes(), x.pagedOut() + y.pagedOut());
        QueueTotals totals = a.totals().plus(b.totals());
        return new QueueFigures(stats, totals, Math.max(a.oldestAvailableMillis(), b.oldestAvailableMillis()));
    }
}
