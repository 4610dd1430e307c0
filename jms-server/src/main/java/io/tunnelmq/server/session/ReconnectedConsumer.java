package io.tunnelmq.server.session;

import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoredQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A consumer opened by a client that reconnected names the messages its application saw on the lost connection
 * (CreateConsumer's seen message ids): before it gets anything they are counted as delivered, so they come again
 * flagged redelivered ({@link PeekLockQueue#seenElsewhere}).
 */
final class ReconnectedConsumer {
    private static final Logger log = LoggerFactory.getLogger(ReconnectedConsumer.class);

    private ReconnectedConsumer() {
    }

    /**
     * Counts {@code seenMessageIds} as delivered in the consumer's queue; over a store shared with other brokers the
     * ones not held here are flagged in the store before the consumer starts.
     *
     * @param stored where the consumer's messages are in the store, once known (null: nowhere)
     * @param shared the store shared with other brokers, or null
     */
    static void countSeen(SessionConsumer consumer, CompletableFuture<StoredQueue> stored, List<String> seenMessageIds,
                          SharedQueues shared, String connectionId) {
        if (seenMessageIds.isEmpty()) {
            return;
        }
        int found = consumer.queue().seenElsewhere(seenMessageIds);
        if (shared != null && stored != null && found < seenMessageIds.size()) {
            // another broker may hold the rest, or a dead one not reaped yet: flagged in the store before it starts
            consumer.stored(stored.thenCompose(queue -> queue == null ? CompletableFuture.completedFuture(null)
                    : shared.seenElsewhere(queue, seenMessageIds)));
        }
        log.debug("connection {}: {} names {} message(s) as seen before it reconnected; {} of them held by {}",
                connectionId, consumer, seenMessageIds.size(), found, consumer.queue());
    }
}
