package io.tunnelmq.server.destination;

import io.tunnelmq.server.cluster.ClaimFeeds;
import io.tunnelmq.server.queue.DeadLetters;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.queue.QueueServices;
import io.tunnelmq.server.queue.QueueSettings;
import io.tunnelmq.server.selector.Selector;
import io.tunnelmq.server.store.Storage;
import io.tunnelmq.server.store.StoredQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * How a queue comes to receive a topic's messages and stops: each subscription gets a queue of its own (named
 * {@code topic#connection/n}, with the topic's settings and dead-letter queue) that the topic copies to. Over a store
 * shared with other brokers, the subscription is fed by claims too ({@link ClaimFeeds}), and a non-durable one is
 * stored so publications through the others reach it ({@link BrokerSubscriptions}). Serves
 * {@link DestinationRegistry}'s non-durable subscriptions and {@link Subscriptions}' named ones. Thread-safe.
 */
final class TopicSubscribing {
    private static final Logger log = LoggerFactory.getLogger(DestinationRegistry.class);

    private final Function<String, Topic> topics;
    private final Function<String, QueueSettings> settings;
    private final ToLongFunction<String> maxBytes;
    private final QueueServices services;
    /** Null when no other broker shares the store. */
    private final ClaimFeeds feeds;
    private final BrokerSubscriptions stored;
    private final Supplier<DestinationListener> listener;
    private final AtomicLong ids = new AtomicLong();

    /**
     * @param topics   the topic of a name, created if it does not exist yet
     * @param settings the settings of a queue by name: a subscription's queue takes its topic's
     * @param maxBytes the memory limit of a queue by name; 0 = the broker's
     */
    TopicSubscribing(Function<String, Topic> topics, Function<String, QueueSettings> settings,
                     ToLongFunction<String> maxBytes, QueueServices services, Storage storage, ClaimFeeds feeds,
                     Supplier<DestinationListener> listener) {
        this.topics = topics;
        this.settings = settings;
        this.maxBytes = maxBytes;
        this.services = services;
        this.feeds = feeds;
        this.stored = new BrokerSubscriptions(storage);
        this.listener = listener;
    }

    /**
     * Subscribes to a topic with a new subscription queue that receives what is published from now on and what
     * {@code selector} selects (null: everything); {@code storeId} != 0 for a durable subscription.
     */
    TopicSubscription subscribe(String topicName, String connectionId, boolean noLocal, Selector selector,
                                long storeId) {
        PeekLockQueue queue = subscriptionQueue(topicName, connectionId);
        long id = feeds != null && storeId == 0 ? stored.add(topicName) : storeId;
        return subscribe(queue, topicName, connectionId, noLocal, selector, id);
    }

    /**
     * The queue of a new subscription to the topic, not fed yet: {@link #subscribe(PeekLockQueue, String, String,
     * boolean, Selector, long)} feeds it.
     */
    PeekLockQueue subscriptionQueue(String topicName, String connectionId) {
        String queueName = topicName + "#" + connectionId + "/" + ids.incrementAndGet();
        return new PeekLockQueue(queueName, DeadLetters.queueFor(topicName), settings.apply(topicName), services,
                maxBytes.applyAsLong(topicName));
    }

    /** Subscribes {@code queue} (from {@link #subscriptionQueue}) to the topic: the store's subscription {@code id}. */
    TopicSubscription subscribe(PeekLockQueue queue, String topicName, String connectionId, boolean noLocal,
                                Selector selector, long id) {
        TopicSubscription subscription = new TopicSubscription(topics.apply(topicName), queue, connectionId, noLocal,
                selector, id);
        if (feeds != null) {
            feeds.share(queue, StoredQueue.subscription(id), c -> subscription.wants(c.publisher(), c.message()));
        }
        subscription.topic().add(subscription);
        log.debug("subscribed {} to topic {}", queue.name(), topicName);
        return subscription;
    }

    /** See {@link DestinationRegistry#whenStored}. */
    CompletableFuture<Void> whenStored(TopicSubscription subscription) {
        return stored.whenStored(subscription.storeId());
    }

    /** A named subscription's store write, for {@link #whenStored}. */
    void storing(long storeId, CompletableFuture<Void> write) {
        stored.storing(storeId, write);
    }

    /**
     * Ends a subscription: the topic stops copying to it and its queue retires (waiting messages dropped, locked
     * ones stay with their owner until settled). {@code named}: a durable or shared subscription, whose store row
     * its {@link Subscriptions} entry removes.
     */
    void unsubscribe(TopicSubscription subscription, boolean named) {
        subscription.topic().remove(subscription);
        subscription.queue().retire();
        if (feeds != null) {
            feeds.unshare(StoredQueue.subscription(subscription.storeId()));
            if (!named) {
                stored.remove(subscription.storeId());
            }
        }
        listener.get().subscriptionEnded(subscription, named);
    }
}
