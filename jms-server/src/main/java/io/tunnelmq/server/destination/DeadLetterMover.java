package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.queue.DeadLetterSink;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.store.Storage;
import io.tunnelmq.server.store.StoreOp;
import io.tunnelmq.server.store.StoredQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Moves dead letters and expired messages: the copy's add and the original's delete are ONE store write, and the
 * copy is visible once that is durable.
 */
final class DeadLetterMover implements DeadLetterSink {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterMover.class);

    private final Storage storage;
    /** The queue of a name, created if need be. */
    private final Function<String, PeekLockQueue> queues;

    DeadLetterMover(Storage storage, Function<String, PeekLockQueue> queues) {
        this.storage = storage;
        this.queues = queues;
    }

    @Override
    public void deadLetter(String deadLetterQueue, WireMessage message) {
        deadLetter(deadLetterQueue, message, 0);
    }

    @Override
    public void deadLetter(String deadLetterQueue, WireMessage message, long sourceStoreId) {
        PeekLockQueue target = queues.apply(deadLetterQueue);
        List<StoreOp> ops = new ArrayList<>(2);
        if (sourceStoreId != 0) {
            ops.add(new StoreOp.RemoveMessage(sourceStoreId));
        }
        long id = storage.stores(message) ? storage.ids().next() : 0;
        if (id != 0) {
            ops.add(new StoreOp.AddMessage(id, StoredQueue.queue(deadLetterQueue), message));
        }
        if (ops.isEmpty()) {
            target.enqueue(message);
            return;
        }
        // completes on the store's thread: a queue is thread-safe, and enqueueing only hands deliveries on
        storage.persistent().write(ops).whenComplete((v, e) -> {
            if (e == null) {
                target.enqueue(message, id);
            } else {
                // the original stays stored where it was (the move was all or nothing): it comes back there after a
                // restart; until then the copy waits in the dead-letter queue in memory
                log.warn("could not store the move of {} to {}; it is kept in memory there, and after a restart it is"
                        + " back in its original queue: {}", message, deadLetterQueue, e.toString());
                target.enqueue(message, 0);
            }
        });
    }
}
