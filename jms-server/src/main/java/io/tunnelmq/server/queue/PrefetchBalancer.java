package io.tunnelmq.server.queue;

import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * Revocable prefetch: keeps prefetch from starving a competing consumer. When a consumer of a queue is idle (it
 * could take a message but none is available) while another holds at least two outstanding deliveries it has not
 * been asked to give back — and at least two more than the idle one, so moving messages evens the load instead of
 * bouncing them — the broker revokes the oldest half of those (the application has most likely taken only the
 * head; the client releases what it has not taken). Released messages keep their delivery count and, since
 * dispatch prefers the least-loaded consumer, go to the idle one. Each token is revoked at most once.
 *
 * <p>An idle consumer with a selector counts as hungry only for what it selects: only those prefetched messages
 * of others that its selector selects are counted and revoked for it.
 *
 * <p>Checked only when the queue has run dry with a consumer that has credit, never per message. Guarded by the
 * queue's lock; the revocation itself is handed to the consumer after the lock is released.
 */
final class PrefetchBalancer {

    /** Prefetched deliveries to ask a consumer for. */
    record Revocation(QueueConsumer consumer, long[] lockTokens) {
    }

    private PrefetchBalancer() {
    }

    /**
     * Decides on one revocation, if any is due, and marks its tokens as revoked.
     *
     * @return the revocation to send, or null
     */
    static Revocation rebalance(ConsumerRing consumers) {
        return rebalance(consumers, token -> null);
    }

    /**
     * As {@link #rebalance(ConsumerRing)}, for queues with selectors.
     *
     * @param lockedMessage the message a revocable lock token holds (needed when the idle consumer has a selector)
     */
    static Revocation rebalance(ConsumerRing consumers, LongFunction<QueuedMessage> lockedMessage) {
        if (consumers.size() < 2 || !consumers.anyCredit()) {
            return null;
        }
        ConsumerRing.Slot idle = null;
        for (ConsumerRing.Slot slot : consumers.slots()) {
            if (slot.wantsMore() && (idle == null || slot.outstanding < idle.outstanding)) {
                idle = slot;
            }
        }
        if (idle == null) {
            return null;
        }
        if (idle.selector != null) {
            return rebalanceSelective(consumers, idle, lockedMessage);
        }
        ConsumerRing.Slot victim = null;
        for (ConsumerRing.Slot slot : consumers.slots()) {
            if (slot != idle && slot.revocable.size() >= 2 && slot.outstanding >= idle.outstanding + 2
                    && (victim == null || slot.outstanding > victim.outstanding)) {
                victim = slot;
            }
        }
        if (victim == null) {
            return null;
        }
        int count = (victim.revocable.size() + 1) / 2;
        return new Revocation(victim.consumer, victim.takeRevocable(count));
    }

    /** The idle consumer selects: count and revoke only the prefetched messages it would take. */
    private static Revocation rebalanceSelective(ConsumerRing consumers, ConsumerRing.Slot idle,
                                                 LongFunction<QueuedMessage> lockedMessage) {
        ConsumerRing.Slot victim = null;
        long[] victimTokens = null;
        for (ConsumerRing.Slot slot : consumers.slots()) {
            if (slot == idle || slot.revocable.size() < 2 || slot.outstanding < idle.outstanding + 2
                    || (victim != null && slot.outstanding <= victim.outstanding)) {
                continue;
            }
            long[] wanted = slot.revocable.stream().mapToLong(Long::longValue).filter(token -> {
                // released on revocation, it keeps its delivery count
                QueuedMessage m = lockedMessage.apply(token);
                return m != null && idle.accepts(m.message, m.deliveryCount);
            }).toArray();
            if (wanted.length >= 2) {
                victim = slot;
                victimTokens = wanted;
            }
        }
        if (victim == null) {
            return null;
        }
        long[] oldestHalf = Arrays.copyOf(victimTokens, (victimTokens.length + 1) / 2);
        return new Revocation(victim.consumer, victim.takeRevocable(oldestHalf));
    }
}
