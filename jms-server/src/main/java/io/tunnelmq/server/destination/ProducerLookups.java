package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.server.store.StoreOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The duplicate window's look-ups in a store other brokers share: a producer this broker does not know whose send
 * is not its first (sequence above 1) may have sent through another broker before — it failed over, and resends
 * what it is not sure of. Its sends wait, in order, until the store said what it holds of that producer; the window
 * then decides each as usual, so a resend of what the other broker stored is not stored again. A look-up that fails
 * lets the sends through as new (a resend may then be stored twice: said at WARN). Thread-safe.
 */
final class ProducerLookups {
    private static final Logger log = LoggerFactory.getLogger(ProducerLookups.class);

    private final Function<UUID, CompletableFuture<DuplicateWindow.Recovered>> source;
    /** Producers being looked up, with the sends waiting for it in arrival order. Guarded by this. */
    private final Map<UUID, ArrayDeque<Runnable>> waiting = new HashMap<>();

    /** @param source the store's record of a producer, completing with null when it has none */
    ProducerLookups(Function<UUID, CompletableFuture<DuplicateWindow.Recovered>> source) {
        this.source = source;
    }

    /**
     * A send the window cannot decide yet: the producer is being looked up, or must be. Null when it can decide
     * now (it knows the producer, or this is the producer's first send).
     */
    DuplicateWindow.Outcome deferred(DuplicateWindow window, ProducerStamp stamp, List<StoreOp> messageOps,
                                     Function<List<StoreOp>, CompletableFuture<Void>> write) {
        UUID id = stamp.producerId();
        CompletableFuture<Void> written = new CompletableFuture<>();
        AtomicBoolean resend = new AtomicBoolean();
        Runnable decide = () -> {
            DuplicateWindow.Outcome outcome = window.decide(stamp, messageOps, write);
            resend.set(outcome.resend());
            outcome.write().whenComplete((v, e) -> {
                if (e == null) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(e);
                }
            });
        };
        boolean lookUp = false;
        synchronized (this) {
            ArrayDeque<Runnable> queue = waiting.get(id);
            if (queue == null) {
                if (stamp.sequence() <= 1 || window.knows(id)) {
                    return null;
                }
                queue = new ArrayDeque<>();
                waiting.put(id, queue);
                lookUp = true;
            }
            queue.add(decide);
        }
        if (lookUp) {
            // after the send is queued, outside the lock: a look-up that completes at once drains the queue here
            source.apply(id).whenComplete((found, e) -> lookedUp(window, id, found, e));
        }
        return new DuplicateWindow.Outcome(false, written, resend::get);
    }

    /** Whether the producer's record in the store answers for a transaction of it: a look-up, not a guess. */
    CompletableFuture<DuplicateWindow.CommitAnswer> committed(ProducerStamp transactionId) {
        return source.apply(transactionId.producerId()).handle((found, e) -> {
            if (e != null) {
                log.warn("could not look up session {} in the shared store to answer for its transaction {}: {}",
                        transactionId.producerId(), transactionId.sequence(), e.toString());
                return DuplicateWindow.CommitAnswer.UNKNOWN;
            }
            return found != null && found.last().sequence() >= transactionId.sequence()
                    ? DuplicateWindow.CommitAnswer.COMMITTED : DuplicateWindow.CommitAnswer.NOT_COMMITTED;
        });
    }

    private void lookedUp(DuplicateWindow window, UUID id, DuplicateWindow.Recovered found, Throwable failure) {
        if (failure != null) {
            log.warn("could not look up producer {} in the shared store: its sends are taken as new, so a resend of"
                    + " one another broker stored may be stored twice: {}", id, failure.toString());
        } else if (found != null) {
            window.learn(found);
        }
        while (true) {
            Runnable next;
            synchronized (this) {
                ArrayDeque<Runnable> queue = waiting.get(id);
                next = queue.poll();
                if (next == null) {
                    waiting.remove(id); // from now on the window decides this producer's sends at once
                    return;
                }
            }
            next.run();
        }
    }
}
