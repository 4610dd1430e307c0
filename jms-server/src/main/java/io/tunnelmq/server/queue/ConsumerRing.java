package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A queue's consumers with their credit and what they hold. A message goes to the least-loaded consumer (fewest
 * unseen deliveries in its buffer, then fewest held in all) among those that may take it, round robin among equals:
 * a consumer whose application waits gets it before one whose application is still working on a message, so a
 * shallow queue needs no revocation to reach the free consumer; a consumer whose
 * application takes quickly gets more, a slow one is not handed messages a fast one could take, and messages
 * released by a revocation go to the consumer that starved rather than back where they came from. Guarded by the
 * queue's lock.
 */
final class ConsumerRing {

    /** Rings larger than this find a consumer's slot through {@link #index}: a few are scanned faster than hashed. */
    private static final int SCAN_LIMIT = 8;

    private final List<ConsumerSlot> slots = new ArrayList<>();
    /**
     * The slots by consumer once the ring has held more than {@link #SCAN_LIMIT}, null before: a queue shared by
     * thousands of consumers finds one in constant time, so attaching N of them is not N² steps under its lock.
     */
    private Map<QueueConsumer, ConsumerSlot> index;
    private int next;
    /** Attached slots holding revocable deliveries: while 0, no prefetch can be rebalanced. */
    private int holding;
    /** Attached slots with message credit that did not decline: while 0, nothing is dispatched. */
    private int withCredit;
    /** Attached consumers with a selector: while 0, dispatch never evaluates one. */
    private int selective;
    /** Raised whenever a consumer comes or goes: what none of them selected may be selected now. */
    private int generation;

    /** @throws IllegalStateException if the consumer is already attached */
    void add(QueueConsumer consumer, int credit, long creditBytes) {
        if (find(consumer) != null) {
            throw new IllegalStateException("consumer " + consumer + " is already attached");
        }
        ConsumerSlot added = new ConsumerSlot(this, consumer, credit, creditBytes);
        slots.add(added);
        if (index != null) {
            index.put(consumer, added);
        } else if (slots.size() > SCAN_LIMIT) {
            index = new IdentityHashMap<>();
            slots.forEach(slot -> index.put(slot.consumer, slot));
        }
        generation++;
        if (added.selector != null) {
            selective++;
        }
        if (added.dispatchable()) {
            withCredit++;
        }
    }

    boolean remove(QueueConsumer consumer) {
        ConsumerSlot slot = find(consumer);
        if (slot == null) {
            return false;
        }
        int i = slots.indexOf(slot); // slots are equal only to themselves
        slots.remove(i);
        if (index != null) {
            index.remove(consumer);
        }
        if (!slot.revocable.isEmpty()) {
            holding--;
        }
        slot.attached = false;
        generation++;
        if (slot.selector != null) {
            selective--;
        }
        if (slot.dispatchable()) {
            withCredit--;
        }
        if (next > i) {
            next--;
        }
        return true;
    }

    /** Adds credit; any credit ends a decline. @return the slot, or null if the consumer is not attached */
    ConsumerSlot addCredit(QueueConsumer consumer, int credit, long bytes) {
        ConsumerSlot slot = find(consumer);
        if (slot == null) {
            return null;
        }
        boolean before = slot.dispatchable();
        slot.declined = false;
        slot.credit = (int) Math.min(Integer.MAX_VALUE, (long) slot.credit + credit);
        if (slot.initialBytes > 0) {
            slot.creditBytes = slot.creditBytes > Long.MAX_VALUE - bytes ? Long.MAX_VALUE : slot.creditBytes + bytes;
        }
        track(slot, before);
        return slot;
    }

    /**
     * The consumer's credit becomes exactly {@code credit} messages and (with a byte limit) {@code bytes}; 0 stops
     * deliveries to it. Ends a decline. @return the slot, or null if the consumer is not attached
     */
    ConsumerSlot setCredit(QueueConsumer consumer, int credit, long bytes) {
        ConsumerSlot slot = find(consumer);
        if (slot == null) {
            return null;
        }
        boolean before = slot.dispatchable();
        slot.declined = false;
        slot.credit = credit;
        if (slot.initialBytes > 0) {
            slot.creditBytes = bytes;
        }
        track(slot, before);
        return slot;
    }

    /** The slot gave prefetched messages back unseen: it gets nothing until its client sends a Credit. */
    void decline(ConsumerSlot slot) {
        boolean before = slot.dispatchable();
        slot.declined = true;
        track(slot, before);
    }

    /**
     * The consumer a message of {@code size} bytes goes to: the least loaded of those that may take it, round
     * robin among equals; null if none may. The caller records the delivery on the slot.
     */
    ConsumerSlot chooseFor(int size) {
        return chooseFor(size, null, 1);
    }

    /**
     * The consumer {@code message} goes to: as {@link #chooseFor(int)}, among the consumers whose selector selects
     * it for a delivery with that count. With a null message, selectors are not consulted.
     */
    ConsumerSlot chooseFor(int size, WireMessage message, int deliveryCount) {
        if (withCredit == 0) {
            return null;
        }
        int n = slots.size();
        ConsumerSlot best = null;
        long bestLoad = Long.MAX_VALUE;
        int bestIndex = -1;
        for (int i = 0; i < n; i++) {
            int index = (next + i) % n;
            ConsumerSlot slot = slots.get(index);
            long load = ((long) slot.unseen() << 32) | slot.outstanding; // unseen first, then all it holds
            if (load < bestLoad && slot.mayTake(size) && (message == null || slot.accepts(message, deliveryCount))) {
                best = slot;
                bestLoad = load;
                bestIndex = index;
                if (load == 0) {
                    break; // nobody is less loaded than a consumer holding nothing
                }
            }
        }
        if (best != null) {
            next = (bestIndex + 1) % n;
        }
        return best;
    }

    /** Records a delivery to {@code slot}. */
    void delivered(ConsumerSlot slot, long lockToken, int size) {
        boolean before = slot.dispatchable();
        slot.delivered(lockToken, size);
        track(slot, before);
    }

    /** The message credit the consumers that may be dispatched to have left, together. */
    int creditRemaining() {
        long sum = 0;
        for (ConsumerSlot slot : slots) {
            if (slot.dispatchable()) {
                sum += slot.credit;
            }
        }
        return (int) Math.min(sum, Integer.MAX_VALUE);
    }

    /** Whether some attached consumer has a selector. */
    boolean anySelector() {
        return selective > 0;
    }

    /** A slot of this ring now holds revocable deliveries ({@code holds}), or no longer does. */
    void holdingChanged(boolean holds) {
        holding += holds ? 1 : -1;
    }

    /** Whether some attached consumer holds revocable deliveries (prefetch that could be rebalanced). */
    boolean anyHolding() {
        return holding > 0;
    }

    /** Whether some consumer may be dispatched to at all (a cheap check before looking further). */
    boolean anyCredit() {
        return withCredit > 0;
    }

    List<ConsumerSlot> slots() {
        return slots;
    }

    int size() {
        return slots.size();
    }

    /** Consumers without a selector: they take whatever the queue holds. */
    int takingAll() {
        return slots.size() - selective;
    }

    /** Raised whenever a consumer comes or goes (see {@link QueuedMessage#unselectedAt}). */
    int generation() {
        return generation;
    }

    /** Whether some attached consumer, credit or not, selects the message for a delivery with this count. */
    boolean anySelects(WireMessage message, int deliveryCount) {
        for (ConsumerSlot slot : slots) {
            if (slot.accepts(message, deliveryCount)) {
                return true;
            }
        }
        return false;
    }

    void clear() {
        generation++;
        slots.forEach(slot -> slot.attached = false);
        slots.clear();
        index = null;
        next = 0;
        holding = 0;
        withCredit = 0;
        selective = 0;
    }

    private void track(ConsumerSlot slot, boolean before) {
        boolean after = slot.dispatchable();
        if (slot.attached && before != after) {
            withCredit += after ? 1 : -1;
        }
    }

    private ConsumerSlot find(QueueConsumer consumer) {
        if (index != null) {
            return index.get(consumer);
        }
        for (ConsumerSlot slot : slots) {
            if (slot.consumer == consumer) {
                return slot;
            }
        }
        return null;
    }

    /** For tests and logs: whether the consumer's slot is declined. */
    boolean isDeclined(QueueConsumer consumer) {
        ConsumerSlot slot = find(consumer);
        return slot != null && slot.declined;
    }
}
