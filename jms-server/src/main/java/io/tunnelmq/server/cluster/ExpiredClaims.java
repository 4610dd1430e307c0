package io.tunnelmq.server.cluster;

import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.queue.QueueTimer;
import io.tunnelmq.server.store.SharedQueues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Removes expired messages that wait in the shared store for queues nobody consumes (a claim only ever comes for a
 * queue with consumers): every {@link #EVERY_MILLIS} a broker claims a batch of them and gives each to its queue here,
 * whose engine removes it as it removes any expired message (dropped, or moved to the expiry queue). Brokers do this
 * side by side; a claim never gives one message to two of them.
 */
final class ExpiredClaims {
    private static final Logger log = LoggerFactory.getLogger(ExpiredClaims.class);
    static final long EVERY_MILLIS = 5_000;
    static final int BATCH = 256;

    private final SharedQueues store;
    private final QueueTimer timer;
    private final Function<String, PeekLockQueue> queues;
    private final Executor executor;
    private volatile boolean closed;

    ExpiredClaims(SharedQueues store, QueueTimer timer, Function<String, PeekLockQueue> queues, Executor executor) {
        this.store = store;
        this.timer = timer;
        this.queues = queues;
        this.executor = executor;
        timer.schedule(this::sweep, EVERY_MILLIS);
    }

    private void sweep() {
        if (closed) {
            return;
        }
        store.claimExpired(BATCH, timer.now(), executor).whenComplete((expired, e) -> {
            if (e != null) {
                log.debug("claiming expired messages from the shared store failed; trying again in {} ms: {}",
                        EVERY_MILLIS, e.toString());
                timer.schedule(this::sweep, EVERY_MILLIS);
                return;
            }
            removeAll(expired);
            timer.schedule(this::sweep, expired.size() == BATCH ? 1 : EVERY_MILLIS);
        });
    }

    private void removeAll(List<SharedQueues.Expired> expired) {
        for (SharedQueues.Expired x : expired) {
            // the queue's dispatch meets it expired at its head and removes it before anything else
            queues.apply(x.queueName()).restore(x.claimed().message(), x.claimed().id(), x.claimed().deliveryCount());
        }
        if (!expired.isEmpty()) {
            log.debug("removed {} expired message(s) nobody consumed from the shared store", expired.size());
        }
    }

    void close() {
        closed = true;
    }
}
