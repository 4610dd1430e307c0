package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.selector.Selector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

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

    /** One consumer, the deliveries it may still take, and the deliveries it holds. */
    static final class Slot {
        final QueueConsumer consumer;
        /** Byte credit it was opened with; 0 = no byte limit. */
        final long initialBytes;
        int credit;
        /** Bytes it may still take; may go below 0 by the one message allowed beyond it. */
        long creditBytes;
        /** Delivered to it and still locked (settled or expired locks leave). */
        int outstanding;
        /** Unseen deliveries (no Settle TAKEN yet) not revoked, oldest first. */
        final LinkedHashSet<Long> revocable = new LinkedHashSet<>();
        /** Unseen deliveries revoked and not answered yet, with the starving slot each was revoked for. */
        private Map<Long, Slot> revoked;
        /** Tokens revoked from others for this slot and not answered yet: it is not starving meanwhile. */
        int inbound;
        /** It gave prefetched messages back unseen: no deliveries until its client sends a Credit. */
        boolean declined;
        /**
         * How many times its client said WAITING. A WAITING sent after a delivery means the client no longer buffers
         * it unseen (it dropped it as lost, judging by its own clock), so that lock expiring later declines nothing.
         */
        int waits;
        /** False once detached: its bookkeeping no longer counts for the ring. */
        boolean attached = true;
        /** The messages it takes; null = all. */
        final Selector selector;

        Slot(QueueConsumer consumer, int credit, long creditBytes) {
            this.consumer = consumer;
            this.selector = consumer.selector();
            this.credit = credit;
            this.initialBytes = creditBytes;
            this.creditBytes = creditBytes;
        }

        /**
         * Whether it may take a message of {@code size} bytes: not declined, it has message credit and, with a byte
         * limit, enough byte credit — or more than half its byte credit left, which is always the case once its
         * client's buffer is empty (the client grants at the latest at half), so a message larger than the whole
         * byte credit is never stuck. Its connection must also be able to take writes.
         */
        boolean mayTake(int size) {
            return credit > 0 && !declined
                    && (initialBytes == 0 || creditBytes >= size || creditBytes > initialBytes / 2)
                    && consumer.isWritable();
        }

        /**
         * Starving: it could take a message (credit, bytes, writable), holds no unseen delivery, did not decline,
         * and awaits no revocation made for it.
         */
        boolean isStarving() {
            return credit > 0 && !declined && inbound == 0 && unseen() == 0
                    && (initialBytes == 0 || creditBytes > 0) && consumer.isWritable();
        }

        /** Unseen deliveries it holds, revoked or not: its load. */
        int unseen() {
            return revocable.size() + (revoked == null ? 0 : revoked.size());
        }

        /** Whether its selector (if any) selects the message for a delivery with this count. */
        boolean accepts(WireMessage message, int deliveryCount) {
            return selector == null || selector.matches(message, deliveryCount);
        }

        /** Whether this delivery was revoked and the client has not answered yet. */
        boolean isRevoked(long lockToken) {
            return revoked != null && revoked.containsKey(lockToken);
        }

        /** The slot a revoked, unanswered delivery was revoked for, or null. */
        Slot revokedFor(long lockToken) {
            return revoked == null ? null : revoked.get(lockToken);
        }

        /** Revokes these revocable tokens for {@code starving}: each token is revoked at most once. */
        long[] revoke(long[] tokens, Slot starving) {
            if (revoked == null) {
                revoked = new HashMap<>();
            }
            for (long token : tokens) {
                revocable.remove(token);
                revoked.put(token, starving);
            }
            starving.inbound += tokens.length;
            return tokens;
        }

        void delivered(long lockToken, int size) {
            credit--;
            if (initialBytes > 0) {
                creditBytes -= size;
            }
            outstanding++;
            revocable.add(lockToken);
        }

        /** The application was handed it. @return whether it had been revoked (the client took it first) */
        boolean taken(long lockToken) {
            return !revocable.remove(lockToken) && answered(lockToken);
        }

        void ended(long lockToken) {
            outstanding--;
            if (!revocable.remove(lockToken)) {
                answered(lockToken);
            }
        }

        private boolean answered(long lockToken) {
            Slot starving = revoked == null ? null : revoked.remove(lockToken);
            if (starving == null) {
                return false;
            }
            starving.inbound--;
            return true;
        }

        /**
         * The newest {@code count} revocable tokens among those {@code wanted} accepts (null: all): the application
         * takes the oldest first, so the newest are the likeliest to come back unseen.
         */
        long[] newestRevocable(int count, LongPredicate wanted) {
            long[] all = new long[revocable.size()];
            int n = 0;
            for (long token : revocable) {
                if (wanted == null || wanted.test(token)) {
                    all[n++] = token;
                }
            }
            int take = Math.min(count, n);
            long[] newest = new long[take];
            System.arraycopy(all, n - take, newest, 0, take);
            return newest;
        }

        private boolean dispatchable() {
            return credit > 0 && !declined;
        }
    }

    private final List<Slot> slots = new ArrayList<>();
    private int next;
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
        Slot added = new Slot(consumer, credit, creditBytes);
        slots.add(added);
        generation++;
        if (added.selector != null) {
            selective++;
        }
        if (added.dispatchable()) {
            withCredit++;
        }
    }

    boolean remove(QueueConsumer consumer) {
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            if (slot.consumer == consumer) {
                slots.remove(i);
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
        }
        return false;
    }

    /** Adds credit; any credit ends a decline. @return the slot, or null if the consumer is not attached */
    Slot addCredit(QueueConsumer consumer, int credit, long bytes) {
        Slot slot = find(consumer);
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
    Slot setCredit(QueueConsumer consumer, int credit, long bytes) {
        Slot slot = find(consumer);
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
    void decline(Slot slot) {
        boolean before = slot.dispatchable();
        slot.declined = true;
        track(slot, before);
    }

    /**
     * The consumer a message of {@code size} bytes goes to: the least loaded of those that may take it, round
     * robin among equals; null if none may. The caller records the delivery on the slot.
     */
    Slot chooseFor(int size) {
        return chooseFor(size, null, 1);
    }

    /**
     * The consumer {@code message} goes to: as {@link #chooseFor(int)}, among the consumers whose selector selects
     * it for a delivery with that count. With a null message, selectors are not consulted.
     */
    Slot chooseFor(int size, WireMessage message, int deliveryCount) {
        if (withCredit == 0) {
            return null;
        }
        int n = slots.size();
        Slot best = null;
        long bestLoad = Long.MAX_VALUE;
        int bestIndex = -1;
        for (int i = 0; i < n; i++) {
            int index = (next + i) % n;
            Slot slot = slots.get(index);
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
    void delivered(Slot slot, long lockToken, int size) {
        boolean before = slot.dispatchable();
        slot.delivered(lockToken, size);
        track(slot, before);
    }

    /** The message credit the consumers that may be dispatched to have left, together. */
    int creditRemaining() {
        long sum = 0;
        for (Slot slot : slots) {
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

    /** Whether some consumer may be dispatched to at all (a cheap check before looking further). */
    boolean anyCredit() {
        return withCredit > 0;
    }

    List<Slot> slots() {
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
        for (Slot slot : slots) {
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
        next = 0;
        withCredit = 0;
        selective = 0;
    }

    private void track(Slot slot, boolean before) {
        boolean after = slot.dispatchable();
        if (slot.attached && before != after) {
            withCredit += after ? 1 : -1;
        }
    }

    private Slot find(QueueConsumer consumer) {
        for (Slot slot : slots) {
            if (slot.consumer == consumer) {
                return slot;
            }
        }
        return null;
    }

    /** For tests and logs: whether the consumer's slot is declined. */
    boolean isDeclined(QueueConsumer consumer) {
        Slot slot = find(consumer);
        return slot != null && slot.declined;
    }
}
