package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.queue.DeadLetters;
import io.tunnelmq.server.queue.LockTokens;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.queue.QueueServices;
import io.tunnelmq.server.queue.QueueSettings;
import io.tunnelmq.server.queue.QueueStats;
import io.tunnelmq.server.queue.QueueTimer;
import io.tunnelmq.server.selector.Selector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The broker's destinations. Queues and topics come into being on first use (a send or a consumer);
 * dead-letter queues ({@code DLQ.<name>}) on the first dead letter. Each non-durable topic consumer gets its own
 * subscription queue; named (durable, shared) subscriptions live in {@link Subscriptions}, temporary destinations
 * in {@link TemporaryDestinations}. Thread-safe.
 */
public final class DestinationRegistry {
    private static final Logger log = LoggerFactory.getLogger(DestinationRegistry.class);

    private final Map<String, PeekLockQueue> queues = new ConcurrentHashMap<>();
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final Function<String, QueueSettings> settings;
    private final ToLongFunction<String> maxBytes;
    private final QueueServices services;
    private final AtomicLong subscriptionIds = new AtomicLong();
    private final Subscriptions subscriptions = new Subscriptions(this);
    private final TemporaryDestinations temporaries = new TemporaryDestinations(this);

    /**
     * @param settings the settings of a queue by name (broker defaults merged with per-queue overrides)
     */
    public DestinationRegistry(QueueTimer timer, MemoryTracker memory, Function<String, QueueSettings> settings) {
        this(timer, memory, settings, queue -> 0);
    }

    /**
     * @param settings the settings of a queue by name (broker defaults merged with per-queue overrides)
     * @param maxBytes the memory limit of a queue by name; 0 = the broker's
     */
    public DestinationRegistry(QueueTimer timer, MemoryTracker memory, Function<String, QueueSettings> settings,
                               ToLongFunction<String> maxBytes) {
        this(timer, memory, settings, maxBytes, null);
    }

    /**
     * @param settings    the settings of a queue by name (broker defaults merged with per-queue overrides)
     * @param maxBytes    the memory limit of a queue by name; 0 = the broker's
     * @param expiryQueue the queue expired messages are moved to; null drops them
     */
    public DestinationRegistry(QueueTimer timer, MemoryTracker memory, Function<String, QueueSettings> settings,
                               ToLongFunction<String> maxBytes, String expiryQueue) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.maxBytes = Objects.requireNonNull(maxBytes, "maxBytes");
        this.services = new QueueServices(timer, new LockTokens(), memory, this::deadLetter, expiryQueue);
    }

    /** The queue of that name, created if it does not exist yet. */
    public PeekLockQueue queue(String name) {
        return queues.computeIfAbsent(name, n -> {
            log.info("created queue {}", n);
            return new PeekLockQueue(n, DeadLetters.queueFor(n), settings.apply(n), services, maxBytes.applyAsLong(n));
        });
    }

    /** The queue of that name if it exists; never creates one. */
    public Optional<PeekLockQueue> findQueue(String name) {
        return Optional.ofNullable(queues.get(name));
    }

    /** Statistics of a queue, or empty if there is no such queue. */
    public Optional<QueueStats> queueStats(String name) {
        return findQueue(name).map(PeekLockQueue::stats);
    }

    /** The topic of that name, created if it does not exist yet. */
    public Topic topic(String name) {
        return topics.computeIfAbsent(name, n -> {
            log.info("created topic {}", n);
            return new Topic(n);
        });
    }

    /** The named (durable and shared) topic subscriptions. */
    public Subscriptions subscriptions() {
        return subscriptions;
    }

    /** The temporary queues and topics and the connections that own them. */
    public TemporaryDestinations temporaries() {
        return temporaries;
    }

    /** Whether a queue has consumers attached, or a topic has subscriptions. */
    boolean hasConsumers(WireDestination destination) {
        if (destination.kind().isQueue()) {
            return findQueue(destination.name()).map(q -> q.stats().consumers() > 0).orElse(false);
        }
        Topic topic = topics.get(destination.name());
        return topic != null && topic.subscriptionCount() > 0;
    }

    /** Removes a (temporary) destination with its messages. */
    void drop(WireDestination destination) {
        if (destination.kind().isQueue()) {
            PeekLockQueue queue = queues.remove(destination.name());
            if (queue != null) {
                queue.retire();
            }
        } else {
            topics.remove(destination.name());
        }
    }

    /**
     * Checks that the destination is of a kind this broker supports.
     *
     * @param action what the client wants to do, for the message ("send to", "consume from")
     * @throws BrokerException {@code INVALID_DESTINATION} for a temporary destination that does not exist
     */
    public void checkSupported(WireDestination destination, String action) {
        if (destination.kind().isTemporary() && !temporaries.exists(destination)) {
            throw TemporaryDestinations.gone(destination, action);
        }
    }

    /**
     * Puts a message on its destination: a queue, or every subscription of a topic (none: dropped).
     *
     * @param publisherConnectionId the sending connection, for no-local subscriptions
     * @throws BrokerException {@code INVALID_DESTINATION} for kinds this broker does not support yet
     */
    public void publish(WireMessage message, String publisherConnectionId) {
        WireDestination destination = message.destination();
        checkSupported(destination, "send to");
        if (destination.kind().isQueue()) {
            queue(destination.name()).enqueue(message);
        } else {
            topic(destination.name()).publish(message, publisherConnectionId);
        }
    }

    /**
     * Subscribes to a topic with a new subscription queue; it receives what is published from now on.
     *
     * @param connectionId the subscribing connection
     * @param noLocal      skip messages that connection publishes
     */
    public TopicSubscription subscribe(String topicName, String connectionId, boolean noLocal) {
        return subscribe(topicName, connectionId, noLocal, null);
    }

    /**
     * Subscribes to a topic with a new subscription queue that receives what is published from now on and what
     * {@code selector} selects (null: everything).
     */
    public TopicSubscription subscribe(String topicName, String connectionId, boolean noLocal, Selector selector) {
        Topic topic = topic(topicName);
        String queueName = topicName + "#" + connectionId + "/" + subscriptionIds.incrementAndGet();
        PeekLockQueue queue = new PeekLockQueue(queueName, DeadLetters.queueFor(topicName), settings.apply(topicName),
                services, maxBytes.applyAsLong(topicName));
        TopicSubscription subscription = new TopicSubscription(topic, queue, connectionId, noLocal, selector);
        topic.add(subscription);
        log.debug("subscribed {} to topic {}", queueName, topicName);
        return subscription;
    }

    /**
     * Ends a subscription: the topic stops copying to it and its queue retires (waiting messages dropped, locked
     * ones stay with their owner until settled).
     */
    public void unsubscribe(TopicSubscription subscription) {
        subscription.topic().remove(subscription);
        subscription.queue().retire();
    }

    private void deadLetter(String deadLetterQueue, WireMessage message) {
        queue(deadLetterQueue).enqueue(message);
    }
}
