package io.tunnelmq.server.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;

/**
 * Revocable prefetch: keeps prefetch from starving a competing consumer. A consumer is <em>starving</em> when it
 * could take a message (message and byte credit, a writable connection), holds no unseen delivery, did not
 * decline (give messages back unseen since its last Credit) and awaits no revocation made for it. When dispatch
 * leaves nothing available it could take, the broker picks the consumer holding the most unseen, not yet revoked
 * deliveries the starving one accepts and revokes the <em>newest</em> half of them, at least one: the application
 * takes the oldest first, so the newest are the likeliest to come back. Released, they keep their delivery count
 * and, since the victim is now declined and dispatch prefers the emptiest buffer, go to the starving consumer.
 *
 * <p>Each token is revoked at most once. A revoked token the application took before the Revoke arrived (Settle
 * TAKEN) ends that revocation; the queue then rebalances again, so a revocation that yields nothing never ends
 * rebalancing. Declining stops ping-pong: a consumer that gave messages back gets none until it asks.
 *
 * <p>An idle consumer with a selector counts as hungry only for what it selects. Runs when the queue ran dry,
 * never per message on a single-consumer queue. Guarded by the queue's lock; the revocations are handed to the
 * consumers after the lock is released.
 */
final class PrefetchBalancer {

    /** Prefetched deliveries to ask a consumer for. */
    record Revocation(QueueConsumer consumer, long[] lockTokens) {
    }

    private PrefetchBalancer() {
    }

    /** As {@link #rebalance(ConsumerRing, LongFunction, Consumer)} for queues whose consumers do not select. */
    static void rebalance(ConsumerRing consumers, Consumer<Revocation> revoke) {
        rebalance(consumers, token -> null, revoke);
    }

    /**
     * Decides on the revocations due now, one per starving consumer that some other consumer can feed, and marks
     * their tokens as revoked.
     *
     * @param lockedMessage the message a lock token holds (needed when a starving consumer has a selector)
     * @param revoke        gets each revocation to send
     */
    static void rebalance(ConsumerRing consumers, LongFunction<QueuedMessage> lockedMessage,
                          Consumer<Revocation> revoke) {
        if (consumers.size() < 2 || !consumers.anyCredit() || !consumers.anyHolding()) {
            return; // a queue with thousands of idle consumers costs nothing here (each consumer added runs this)
        }
        // the consumers holding unseen deliveries first: usually few, so the rest costs one pass, not one per
        // starving consumer
        List<ConsumerSlot> holders = new ArrayList<>();
        for (ConsumerSlot slot : consumers.slots()) {
            if (!slot.revocable.isEmpty()) {
                holders.add(slot);
            }
        }
        if (holders.isEmpty()) {
            return;
        }
        for (ConsumerSlot starving : consumers.slots()) {
            if (starving.isStarving()) {
                Revocation revocation = feed(holders, starving, lockedMessage);
                if (revocation != null) {
                    revoke.accept(revocation);
                }
            }
        }
    }

    private static Revocation feed(List<ConsumerSlot> holders, ConsumerSlot starving,
                                   LongFunction<QueuedMessage> lockedMessage) {
        LongPredicate wanted = starving.selector == null ? null : token -> {
            QueuedMessage m = lockedMessage.apply(token);
            return m != null && starving.accepts(m.message, m.deliveryCount);
        };
        ConsumerSlot victim = null;
        int most = 0;
        for (ConsumerSlot slot : holders) {
            if (slot == starving || slot.revocable.size() <= most) {
                continue;
            }
            int count = wanted == null ? slot.revocable.size() : slot.revocable.count(wanted);
            if (count > most) {
                most = count;
                victim = slot;
            }
        }
        if (victim == null) {
            return null;
        }
        long[] newestHalf = victim.newestRevocable((most + 1) / 2, wanted);
        return new Revocation(victim.consumer, victim.revoke(newestHalf, starving));
    }
}
