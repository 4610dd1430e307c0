package io.tunnelmq.server.queue;

import io.tunnelmq.server.queue.AvailableMessages.Sweep;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Dispatch for a queue with at least one selecting consumer: a message no consumer with credit selects does not
 * block the queue — the scan moves past it to the next one, and it stays where it is for a later consumer. Each
 * message goes to the least-loaded consumer that selects it. The scan stops as soon as no consumer could take
 * anything. Guarded by the queue's lock.
 *
 * <p>Costs one pass over the available messages per dispatch while a selecting consumer is attached; queues
 * without selectors never come here.
 */
final class SelectiveDispatch {
    private SelectiveDispatch() {
    }

    /**
     * @param expired  called for each expired message removed from {@code available}
     * @param deliver  called for each message removed from {@code available} to be locked to that consumer
     * @param readBack called when the scan stops at a paged-out message it cannot judge without its body (one that
     *                 none of the consumers selected since they last changed is passed over instead)
     */
    static void dispatch(AvailableMessages available, ConsumerRing consumers, long now,
                         Consumer<QueuedMessage> expired, BiConsumer<QueuedMessage, ConsumerSlot> deliver,
                         Runnable readBack) {
        int generation = consumers.generation();
        boolean[] readingBack = {false};
        available.sweep(m -> {
            if (!consumers.anyCredit()) {
                return Sweep.STOP;
            }
            if (m.hasExpired(now)) {
                expired.accept(m);
                return Sweep.TAKE;
            }
            if (m.isPagedOut()) {
                if (m.unselectedAt == generation) {
                    return Sweep.KEEP;
                }
                readingBack[0] = true;
                return Sweep.STOP;
            }
            ConsumerSlot slot = consumers.chooseFor(m.size, m.message, m.deliveryCount);
            if (slot == null) {
                return Sweep.KEEP;
            }
            deliver.accept(m, slot);
            return Sweep.TAKE;
        });
        if (readingBack[0]) {
            readBack.run(); // after the sweep: the read-back may look at the available messages
        }
    }
}
