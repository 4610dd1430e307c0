package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.selector.Selector;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A queue's consumers with their credit and what they hold. A message goes to the least-loaded consumer (fewest
 * outstanding deliveries) among those that may take it, round robin among equals: a consumer that settles quickly
 * gets more, a slow one is not handed messages a fast one could take, and messages released by a revocation go to
 * the consumer that was idle rather than back where they came from. Guarded by the queue's lock.
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
        /** Tokens of outstanding deliveries not yet revoked, oldest first. */
        final LinkedHashSet<Long> revocable = new LinkedHashSet<>();
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
         * Whether it may take a message of {@code size} bytes: it has message credit and, with a byte limit, enough
         * byte credit — or more than half its byte credit left, which is always the case once its client's buffer
         * is empty (the client grants at the latest at half), so a message larger than the whole byte credit is
         * never stuck. Its connection must also be able to take writes.
         */
        boolean mayTake(int size) {
            return credit > 0 && (initialBytes == 0 || creditBytes >= size || creditBytes > initialBytes / 2)
                    && consumer.isWritable();
        }

        /** Whether it could take some message now: it is idle if nothing is available for it. */
        boolean wantsMore() {
            return credit > 0 && (initialBytes == 0 || creditBytes > 0) && consumer.isWritable();
        }

        /** Whether its selector (if any) selects the message for a delivery with this count. */
        boolean accepts(WireMessage message, int deliveryCount) {
            return selector == null || selector.matches(message, deliveryCount);
        }

        /** Takes these revocable tokens (each must be revocable): each token is revoked at most once. */
        long[] takeRevocable(long[] tokens) {
            for (long token : tokens) {
                revocable.remove(token);
            }
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

        void ended(long lockToken) {
            outstanding--;
            revocable.remove(lockToken);
        }

        /** Takes the oldest {@code count} revocable tokens: each token is revoked at most once. */
        long[] takeRevocable(int count) {
            long[] tokens = new long[Math.min(count, revocable.size())];
            Iterator<Long> it = revocable.iterator();
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = it.next();
                it.remove();
            }
            return tokens;
        }
    }

    private final List<Slot> slots = new ArrayList<>();
    private int next;
    private int withCredit;
    /** Attached consumers with a selector: while 0, dispatch never evaluates one. */
    private int selective;

    /** @throws IllegalStateException if the consumer is already attached */
    void add(QueueConsumer consumer, int credit, long creditBytes) {
        if (find(consumer) != null) {
            throw new IllegalStateException("consumer " + consumer + " is already attached");
        }
        Slot added = new Slot(consumer, credit, creditBytes);
        slots.add(added);
        if (added.selector != null) {
            selective++;
        }
        if (credit > 0) {
            withCredit++;
        }
    }

    boolean remove(QueueConsumer consumer) {
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            if (slot.consumer == consumer) {
                slots.remove(i);
                if (slot.selector != null) {
                    selective--;
                }
                if (slot.credit > 0) {
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

    /** @return false if the consumer is not attached */
    boolean addCredit(QueueConsumer consumer, int credit, long bytes) {
        Slot slot = find(consumer);
        if (slot == null) {
            return false;
        }
        if (slot.credit == 0 && credit > 0) {
            withCredit++;
        }
        slot.credit = (int) Math.min(Integer.MAX_VALUE, (long) slot.credit + credit);
        if (slot.initialBytes > 0) {
            slot.creditBytes = slot.creditBytes > Long.MAX_VALUE - bytes ? Long.MAX_VALUE : slot.creditBytes + bytes;
        }
        return true;
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
        int bestIndex = -1;
        for (int i = 0; i < n; i++) {
            int index = (next + i) % n;
            Slot slot = slots.get(index);
            if (slot.mayTake(size) && (best == null || slot.outstanding < best.outstanding)
                    && (message == null || slot.accepts(message, deliveryCount))) {
                best = slot;
                bestIndex = index;
                if (slot.outstanding == 0) {
                    break; // nobody is less loaded than idle
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
        slot.delivered(lockToken, size);
        if (slot.credit == 0) {
            withCredit--;
        }
    }

    /** Whether some attached consumer has a selector. */
    boolean anySelector() {
        return selective > 0;
    }

    /** Whether some consumer has message credit at all (a cheap check before looking for idle ones). */
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

    void clear() {
        slots.clear();
        next = 0;
        withCredit = 0;
        selective = 0;
    }

    private Slot find(QueueConsumer consumer) {
        for (Slot slot : slots) {
            if (slot.consumer == consumer) {
                return slot;
            }
        }
        return null;
    }
}
