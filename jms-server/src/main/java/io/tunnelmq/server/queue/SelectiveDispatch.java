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
 * without selectors never come here. A message none of the attached consumers selects (credit or not) is marked
 * with their generation and not judged again until a consumer comes or goes, so a backlog nobody selects costs a
 * look at a mark per message and dispatch, not every consumer's selector (it would otherwise at every arrival,
 * settlement and credit). A message that enters the available set again is judged afresh (its delivery count, which
 * a selector may test, changed).
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
            if (m.unselectedAt == generation) {
                return Sweep.KEEP; // none of these consumers selects it: judged at an earlier pass
            }
            if (m.isPagedOut()) {
                readingBack[0] = true;
                return Sweep.STOP;
            }
            ConsumerSlot slot = consumers.chooseFor(m.size, m.message, m.deliveryCount);
            if (slot == null) {
                if (!consumers.anySelects(m.message, m.deliveryCount)) {
                    m.unselectedAt = generation; // not judged again until a consumer comes or goes
                }
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
