package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.MessageStore;
import io.tunnelmq.server.store.StoreOp;
import io.tunnelmq.server.store.StoreVisitor;
import io.tunnelmq.server.store.StoredQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds the broker's destinations from its store at start, before connections are accepted: durable subscriptions
 * first, then every message in the order it was first stored, so each queue keeps its order (and priority order
 * within it), delivery counts, delivery times and expirations. Ids continue after the highest one found. Messages of
 * a subscription that no longer exists are deleted. The producers of the {@link DuplicateWindow} come back with their
 * highest stored sequence.
 */
public final class StoreRecovery {
    private static final Logger log = LoggerFactory.getLogger(StoreRecovery.class);

    /** What recovery found. */
    public record Result(long messages, int queues, int subscriptions, long orphansDeleted, long millis) {
    }

    private StoreRecovery() {
    }

    /** Reads the store into the registry and logs one INFO line saying what was recovered. */
    public static Result recover(DestinationRegistry destinations) {
        return recover(destinations, System.nanoTime());
    }

    /**
     * Reads the store into the registry and logs one INFO line saying what was recovered and how long it took since
     * {@code openedAtNanos} (when the store began to open: reading the journal is most of a recovery).
     */
    public static Result recover(DestinationRegistry destinations, long openedAtNanos) {
        long start = openedAtNanos;
        MessageStore store = destinations.storage().persistent();
        Map<Long, TopicSubscription> restored = new HashMap<>();
        List<DuplicateWindow.Recovered> producers = new ArrayList<>();
        Set<Object> queues = new HashSet<>();
        List<StoreOp> orphans = new ArrayList<>();
        long[] messages = new long[1];
        // records come in the order they were first stored, a subscription before its messages: each is restored as
        // it comes, so a backlog larger than the heap is paged out as it is read instead of held in a list
        store.recover(new StoreVisitor() {
            @Override
            public void subscription(long id, DurableSubscription subscription) {
                destinations.storage().ids().recovered(id);
                restored.put(id, destinations.subscriptions().restore(id, subscription));
            }

            @Override
            public void message(long id, StoredQueue queue, WireMessage message, int deliveryCount) {
                destinations.storage().ids().recovered(id);
                messages[0]++;
                if (queue.isSubscription()) {
                    TopicSubscription subscription = restored.get(queue.subscriptionId());
                    if (subscription == null) {
                        orphans.add(new StoreOp.RemoveMessage(id));
                        return;
                    }
                    subscription.queue().restore(message, id, deliveryCount);
                    queues.add(queue.subscriptionId());
                } else {
                    destinations.queue(queue.queueName()).restore(message, id, deliveryCount);
                    queues.add(queue.queueName());
                }
            }

            @Override
            public void producer(long id, ProducerStamp last, long storedAtMillis) {
                producers.add(new DuplicateWindow.Recovered(id, last, storedAtMillis));
            }
        });
        destinations.duplicates().restore(producers);
        if (!orphans.isEmpty()) {
            store.writeLazily(orphans);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Result result = new Result(messages[0] - orphans.size(), queues.size(), restored.size(),
                orphans.size(), millis);
        log.info("recovered {} message(s) in {} queue(s), {} durable subscription(s) and {} producer(s) of the duplicate"
                + " window from {} in {} ms{}", result.messages(), result.queues(), result.subscriptions(),
                destinations.duplicates().size(), store, millis,
                orphans.isEmpty() ? "" : " (" + orphans.size() + " message(s) of removed subscriptions deleted)");
        return result;
    }
}
