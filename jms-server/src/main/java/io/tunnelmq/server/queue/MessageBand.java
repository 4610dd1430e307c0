package io.tunnelmq.server.queue;

import java.util.Arrays;

/**
 * The available messages of one priority, in delivery order ({@link QueuedMessage#orderKey}), in one array: the
 * live ones are {@code slots[from..to)}. A queue appends at the end (arrivals come in order) and takes from the
 * front (dispatch), both O(1) without a node per message; an abandoned or released message goes back into its
 * place by a binary search and a shift of the shorter side, which is short, as it left from near the front. The
 * array shrinks when a backlog drains. Not thread-safe: part of {@link AvailableMessages}, under the queue's lock.
 */
final class MessageBand {
    private static final QueuedMessage[] NONE = {};
    /** An array this much larger than what it holds is replaced by a smaller one. */
    private static final int SHRINK_AT = 32;
    private static final int MIN_CAPACITY = 8;

    private QueuedMessage[] slots = NONE;
    private int from;
    private int to;

    int size() {
        return to - from;
    }

    boolean isEmpty() {
        return to == from;
    }

    /** The first live position; positions run to {@link #end()}. */
    int start() {
        return from;
    }

    int end() {
        return to;
    }

    QueuedMessage at(int position) {
        return slots[position];
    }

    /** The first message in delivery order, or null. */
    QueuedMessage first() {
        return to == from ? null : slots[from];
    }

    /** @return false if a message with its place is in already */
    boolean add(QueuedMessage m) {
        if (to == slots.length) {
            makeRoom();
        }
        if (to == from || m.orderKey > slots[to - 1].orderKey) {
            slots[to++] = m;
            return true;
        }
        int at = search(m.orderKey);
        if (at >= 0) {
            return false;
        }
        at = -at - 1;
        if (from > 0 && at - from < to - at) {
            System.arraycopy(slots, from, slots, from - 1, at - from);
            from--;
            slots[at - 1] = m;
        } else {
            System.arraycopy(slots, at, slots, at + 1, to - at);
            slots[at] = m;
            to++;
        }
        return true;
    }

    /** @return whether a message with its place was in (and is out now) */
    boolean remove(QueuedMessage m) {
        int at = positionOf(m);
        if (at < 0) {
            return false;
        }
        removeAt(at);
        return true;
    }

    boolean contains(QueuedMessage m) {
        return positionOf(m) >= 0;
    }

    QueuedMessage pollFirst() {
        QueuedMessage m = slots[from];
        slots[from++] = null;
        emptied();
        return m;
    }

    /** The position of the first message after {@code orderKey} in delivery order. */
    int positionAfter(long orderKey) {
        int at = search(orderKey);
        return at >= 0 ? at + 1 : -at - 1;
    }

    /** Removes the message at {@code position}, shifting the shorter side. */
    private void removeAt(int position) {
        if (position - from < to - position - 1) {
            System.arraycopy(slots, from, slots, from + 1, position - from);
            slots[from++] = null;
        } else {
            System.arraycopy(slots, position + 1, slots, position, to - position - 1);
            slots[--to] = null;
        }
        emptied();
    }

    /**
     * Visits the messages in order until told to stop, taking out those the sweeper takes. The kept messages of the
     * visited stretch close up towards its end afterwards: O(visited), however many are taken and wherever it stops.
     *
     * @return whether the sweeper stopped
     */
    boolean sweep(AvailableMessages.Sweeper sweeper, int[] taken) {
        int i = from;
        boolean stopped = false;
        int takenHere = 0;
        try {
            while (i < to && !stopped) {
                // a switch expression: a new verdict fails to compile here instead of looping for ever
                stopped = switch (sweeper.visit(slots[i])) {
                    case KEEP -> {
                        i++;
                        yield false;
                    }
                    case TAKE -> {
                        slots[i++] = null;
                        takenHere++;
                        yield false;
                    }
                    case STOP -> true;
                };
            }
        } finally {
            if (takenHere > 0) {
                closeUp(i);
                taken[0] += takenHere;
            }
        }
        return stopped;
    }

    /** Moves the kept messages of {@code [from, end)} to the end of that stretch, over the taken ones' slots. */
    private void closeUp(int end) {
        int w = end - 1;
        for (int j = end - 1; j >= from; j--) {
            if (slots[j] != null) {
                slots[w--] = slots[j];
            }
        }
        Arrays.fill(slots, from, w + 1, null);
        from = w + 1;
        emptied();
    }

    void clear() {
        slots = NONE;
        from = 0;
        to = 0;
    }

    private int positionOf(QueuedMessage m) {
        if (to == from) {
            return -1;
        }
        return slots[from].orderKey == m.orderKey ? from : search(m.orderKey);
    }

    /** As {@link Arrays#binarySearch}, over the live messages by order key. */
    private int search(long orderKey) {
        int low = from;
        int high = to - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long key = slots[mid].orderKey;
            if (key < orderKey) {
                low = mid + 1;
            } else if (key > orderKey) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    /** After a removal: an empty band starts at the front again, and a drained backlog gives its array back. */
    private void emptied() {
        if (from == to) {
            from = 0;
            to = 0;
            if (slots.length > MIN_CAPACITY * SHRINK_AT) {
                slots = NONE;
            }
        } else if (slots.length > MIN_CAPACITY * SHRINK_AT && size() * SHRINK_AT < slots.length) {
            resize(size() * 4);
        }
    }

    /** Room at the end: the live messages moved to the front, or a larger array when they fill half of it. */
    private void makeRoom() {
        int size = size();
        if (size * 2 > slots.length || slots.length == 0) {
            resize(size * 2);
        } else {
            System.arraycopy(slots, from, slots, 0, size);
            Arrays.fill(slots, size, to, null);
            from = 0;
            to = size;
        }
    }

    private void resize(int capacity) {
        int size = size();
        QueuedMessage[] target = new QueuedMessage[Math.max(MIN_CAPACITY, capacity)];
        System.arraycopy(slots, from, target, 0, size);
        slots = target;
        from = 0;
        to = size;
    }
}
