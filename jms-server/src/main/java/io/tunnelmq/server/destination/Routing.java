package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.store.Storage;
import io.tunnelmq.server.store.StoreOp;
import io.tunnelmq.server.store.StoredQueue;

import java.util.List;

/**
 * Where a message goes — its queue, or every topic subscription that wants it — and what must be stored first.
 * On a broker of its own, a persistent message on a durable destination (not temporary, not a non-durable
 * subscription) gets a store id and an add op per copy. Over a store shared with other brokers, every message on a
 * durable destination is stored (their consumers claim from the store), a topic's message is one op the store copies
 * to every subscription of the topic, and one for another broker's temporary queue is stored for it while it exists;
 * this broker's own temporary queues keep their messages here.
 */
final class Routing {
    private final DestinationRegistry destinations;
    private final Storage storage;
    private final boolean shared;

    Routing(DestinationRegistry destinations, Storage storage, boolean shared) {
        this.destinations = destinations;
        this.storage = storage;
        this.shared = shared;
    }

    /** The destination is known to be supported ({@link DestinationRegistry#checkSupported}). */
    Publication prepare(WireMessage message, String publisherConnectionId) {
        WireDestination destination = message.destination();
        Publication publication = new Publication(message);
        boolean stored = storage.stores(message);
        if (shared && destination.kind() == WireDestination.Kind.TEMPORARY_QUEUE
                && !destinations.temporaries().exists(destination)) {
            // another broker's temporary queue: stored for it while it exists there
            publication.addCopied(new StoreOp.AddToTemporary(storage.ids().next(), destination.name(), message),
                    List.of());
        } else if (destination.kind().isQueue()) {
            PeekLockQueue queue = destinations.queue(destination.name());
            if (stored && !destination.kind().isTemporary()) {
                long id = storage.ids().next();
                publication.add(queue, id, new StoreOp.AddMessage(id, StoredQueue.queue(destination.name()), message));
            } else {
                publication.add(queue, 0, null);
            }
        } else if (shared) {
            // the store copies it to every subscription of the topic, other brokers' and ours
            List<PeekLockQueue> local = destinations.findTopic(destination.name())
                    .map(t -> t.subscriptions().stream().map(TopicSubscription::queue).toList()).orElse(List.of());
            publication.addCopied(new StoreOp.PublishToSubscriptions(destination.name(), message,
                    publisherConnectionId), local);
        } else {
            for (TopicSubscription s : destinations.topic(destination.name())
                    .subscribersFor(message, publisherConnectionId)) {
                if (stored && s.storeId() != 0) {
                    long id = storage.ids().next();
                    publication.add(s.queue(), id,
                            new StoreOp.AddMessage(id, StoredQueue.subscription(s.storeId()), message));
                } else {
                    publication.add(s.queue(), 0, null);
                }
            }
        }
        return publication;
    }
}
