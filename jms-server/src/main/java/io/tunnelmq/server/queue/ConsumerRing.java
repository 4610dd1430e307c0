package io.tunnelmq.server.queue;

import java.util.ArrayList;
import java.util.List;

/** A queue's consumers with their credit, handed messages round robin among those with credit. */
final class ConsumerRing {

    /** One consumer and the deliveries it may still take. */
    static final class Slot {
        final QueueConsumer consumer;
        int credit;

        Slot(QueueConsumer consumer, int credit) {
            this.consumer = consumer;
            this.credit = credit;
        }
    }

    private final List<Slot> slots = new ArrayList<>();
    private int next;
    private int withCredit;

    /** @throws IllegalStateException if the consumer is already attached */
    void add(QueueConsumer consumer, int credit) {
        if (find(consumer) != null) {
            throw new IllegalStateException("consumer " + consumer + " is already attached");
        }
        slots.add(new Slot(consumer, credit));
        if (credit > 0) {
            withCredit++;
        }
    }

    boolean remove(QueueConsumer consumer) {
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            if (slot.consumer == consumer) {
                slots.remove(i);
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
    boolean addCredit(QueueConsumer consumer, int credit) {
        Slot slot = find(consumer);
        if (slot == null) {
            return false;
        }
        if (slot.credit == 0 && credit > 0) {
            withCredit++;
        }
        slot.credit = (int) Math.min(Integer.MAX_VALUE, (long) slot.credit + credit);
        return true;
    }

    /** The next consumer with credit after the last one served, with one credit taken; null if none has any. */
    Slot takeNext() {
        if (withCredit == 0) {
            return null;
        }
        int n = slots.size();
        for (int i = 0; i < n; i++) {
            int index = (next + i) % n;
            Slot slot = slots.get(index);
            if (slot.credit > 0) {
                next = (index + 1) % n;
                if (--slot.credit == 0) {
                    withCredit--;
                }
                return slot;
            }
        }
        throw new IllegalStateException("credit count out of step: " + withCredit + " consumers said to have credit");
    }

    int size() {
        return slots.size();
    }

    void clear() {
        slots.clear();
        next = 0;
        withCredit = 0;
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
