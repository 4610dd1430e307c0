package io.tunnelmq.protocol;

import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Values by lock token, without a boxed {@code Long} key or an entry object per value. On the broker a queue and a
 * session, on the client a session's lock tracker, each hold one entry per message delivered and not yet settled,
 * adding and dropping one per message; as a {@code HashMap<Long, V>} that was a key and a node of garbage for every
 * message. Here, in the wire module, because lock tokens are the protocol's and both sides key by them.
 *
 * <p>The broker hands tokens out in sequence and most locks end oldest first, so the entries are kept sorted by token
 * in a window {@code [from, to)} of two parallel arrays: a new token goes on the end and the oldest leaves from the
 * front, both O(1) and on memory the last operation touched (an open-addressing table, used before, spread them over
 * the whole table and moved probe chains on every removal — 7 % of the broker's CPU in a 1→1 run). A token after the
 * last one found is tried next; any other is found by binary search. One that leaves from the middle leaves a hole (a
 * null value, its key kept so the keys stay sorted), squeezed out once the holes outnumber the entries; one that comes
 * in out of order goes into its place by shifting the shorter side (or into a hole beside its place).
 *
 * <p>Values are never null. The arrays double when the entries fill half of them; they shrink when a thirty-second
 * full, in one step to a quarter full, never below {@value #MIN_CAPACITY} slots: a queue that once held a million locks
 * does not keep their arrays, and a map whose size swings up and down (a prefetch buffer filling and draining) is not
 * reallocated on every swing. Iteration is in token order; changing the map while iterating fails the iteration with a
 * {@link ConcurrentModificationException}. Not thread-safe.
 */
public final class TokenMap<V> {
    private static final int MIN_CAPACITY = 16;

    /** Ascending over {@code [from, to)}, holes included. */
    private long[] keys;
    /** A null value in {@code [from, to)} is a hole; the first and last of the window are never holes. */
    private Object[] values;
    private int from;
    private int to;
    private int size;
    private int modifications;
    /** Where {@link #find} last found a token between the ends; a guess, checked before it is used. */
    private int hint;

    /** The value under {@code token}, or null. */
    @SuppressWarnings("unchecked")
    public V get(long token) {
        int i = find(token);
        return i < 0 ? null : (V) values[i];
    }

    public boolean containsKey(long token) {
        return get(token) != null;
    }

    /** Puts {@code value} under {@code token}. @return the value it replaced, or null */
    @SuppressWarnings("unchecked")
    public V put(long token, V value) {
        Objects.requireNonNull(value, "value");
        if (values == null) {
            keys = new long[MIN_CAPACITY];
            values = new Object[MIN_CAPACITY];
        }
        if (to == values.length) {
            makeRoom();
        }
        if (size == 0 || token > keys[to - 1]) {
            keys[to] = token;
            values[to++] = value;
            added();
            return null;
        }
        int at = Arrays.binarySearch(keys, from, to, token);
        if (at >= 0) {
            V previous = (V) values[at];
            values[at] = value;
            if (previous == null) {
                added(); // a hole filled again
            }
            return previous;
        }
        insert(-at - 1, token, value);
        added();
        return null;
    }

    /** Removes what is under {@code token}. @return the value removed, or null */
    @SuppressWarnings("unchecked")
    public V remove(long token) {
        int i = find(token);
        if (i < 0) {
            return null;
        }
        V removed = (V) values[i];
        values[i] = null;
        size--;
        modifications++;
        if (size == 0) {
            from = 0;
            to = 0;
        } else if (i == from) {
            while (values[from] == null) {
                from++;
            }
        } else if (i == to - 1) {
            while (values[to - 1] == null) {
                to--;
            }
        } else if (to - from - size > Math.max(MIN_CAPACITY, size)) {
            squeeze(values.length); // the holes outnumber the entries
        }
        if (values.length > MIN_CAPACITY && size <= values.length >> 5) {
            squeeze(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, size)) << 3)); // a quarter full at most
        }
        return removed;
    }

    /** Removes everything, and the arrays with it. */
    public void clear() {
        keys = null;
        values = null;
        from = 0;
        to = 0;
        size = 0;
        modifications++;
    }

    public int size() {
        return size;
    }

    /** The slots of the arrays: how much memory the map holds, for tests. */
    int capacity() {
        return values == null ? 0 : values.length;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The values in token order; the map must not change while they are iterated. */
    public Iterable<V> values() {
        return ValueIterator::new;
    }

    /**
     * The position of the entry under {@code token}, or -1: the ends first, as most tokens are found there, then the
     * one after the last found in between (the client hands its deliveries out in order, while their settlements
     * wait in front of them), then a binary search.
     */
    private int find(long token) {
        if (size == 0) {
            return -1;
        }
        if (keys[from] == token) {
            return from;
        }
        if (keys[to - 1] == token) {
            return to - 1;
        }
        int next = hint + 1;
        int i = next > from && next < to && keys[next] == token ? next : Arrays.binarySearch(keys, from, to, token);
        if (i < 0 || values[i] == null) {
            return -1;
        }
        hint = i;
        return i;
    }

    private void added() {
        size++;
        modifications++;
    }

    /**
     * Puts a token that belongs before {@code at} (the first larger key) and after the key before it: into a hole on
     * either side of its place, else by shifting the shorter side. There is room at the end ({@link #makeRoom} ran).
     */
    private void insert(int at, long token, Object value) {
        if (at > from && values[at - 1] == null) {
            at--;
        } else if (values[at] != null) {
            if (from > 0 && at - from <= to - at) {
                System.arraycopy(keys, from, keys, from - 1, at - from);
                System.arraycopy(values, from, values, from - 1, at - from);
                from--;
                at--;
            } else {
                System.arraycopy(keys, at, keys, at + 1, to - at);
                System.arraycopy(values, at, values, at + 1, to - at);
                to++;
            }
        }
        keys[at] = token;
        values[at] = value;
    }

    /** Room at the end: the entries moved to the front without their holes, into arrays twice as long if half full. */
    private void makeRoom() {
        squeeze(size * 2 > values.length ? values.length << 1 : values.length);
    }

    /** Moves the entries, without holes, to the front of arrays of {@code capacity} slots (these, if the same size). */
    private void squeeze(int capacity) {
        long[] newKeys = capacity == keys.length ? keys : new long[capacity];
        Object[] newValues = capacity == values.length ? values : new Object[capacity];
        int n = 0;
        for (int i = from; i < to; i++) {
            if (values[i] != null) {
                newKeys[n] = keys[i];
                newValues[n++] = values[i];
            }
        }
        if (newValues == values) {
            Arrays.fill(values, n, to, null);
        }
        keys = newKeys;
        values = newValues;
        from = 0;
        to = n;
    }

    private final class ValueIterator implements Iterator<V> {
        private final int expected = modifications;
        private int next = from - 1;

        ValueIterator() {
            advance();
        }

        @Override
        public boolean hasNext() {
            return values != null && next < to;
        }

        @Override
        @SuppressWarnings("unchecked")
        public V next() {
            if (modifications != expected) {
                throw new ConcurrentModificationException("a TokenMap changed while its values were iterated");
            }
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            V value = (V) values[next];
            advance();
            return value;
        }

        private void advance() {
            if (values == null) {
                return;
            }
            do {
                next++;
            } while (next < to && values[next] == null);
        }
    }
}
