package io.tunnelmq.protocol;

import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Values by lock token, without a boxed {@code Long} key or an entry object per value: open addressing with linear
 * probing over two parallel arrays, deletion by shifting the probe chain back (no tombstones). On the broker a queue
 * and a session, on the client a session's lock tracker, each hold one entry per message delivered and not yet
 * settled, adding and dropping one per message; as a {@code HashMap<Long, V>} that was a key and a node of garbage for
 * every message. Here, in the wire module, because lock tokens are the protocol's and both sides key by them.
 *
 * <p>Values are never null (a null slot is an empty one). The table doubles at half full. It shrinks when it is a
 * thirty-second full, in one step to a quarter full, never below {@value #MIN_CAPACITY} slots: a queue that once held a
 * million locks does not keep their table, and a table whose size swings up and down (a prefetch buffer filling and
 * draining) is not reallocated on every swing — after a resize its size must fall eightfold before the next shrink
 * (with an eighth full as the shrink point, a twofold swing reallocated it twice per swing). Iteration order is
 * unspecified; changing the map while iterating fails the iteration with a
 * {@link ConcurrentModificationException}. Not thread-safe.
 */
public final class TokenMap<V> {
    private static final int MIN_CAPACITY = 16;

    private long[] keys;
    private Object[] values;
    private int size;
    private int modifications;

    /** The value under {@code token}, or null. */
    @SuppressWarnings("unchecked")
    public V get(long token) {
        if (size == 0) {
            return null;
        }
        int mask = values.length - 1;
        for (int i = slot(token, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == token) {
                return (V) values[i];
            }
        }
        return null;
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
        int mask = values.length - 1;
        int i = slot(token, mask);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == token) {
                V previous = (V) values[i];
                values[i] = value;
                return previous;
            }
        }
        keys[i] = token;
        values[i] = value;
        size++;
        modifications++;
        if (size > values.length >> 1) {
            resize(values.length << 1);
        }
        return null;
    }

    /** Removes what is under {@code token}. @return the value removed, or null */
    @SuppressWarnings("unchecked")
    public V remove(long token) {
        if (size == 0) {
            return null;
        }
        int mask = values.length - 1;
        int i = slot(token, mask);
        while (values[i] != null && keys[i] != token) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return null;
        }
        V removed = (V) values[i];
        closeGap(i, mask);
        size--;
        modifications++;
        if (values.length > MIN_CAPACITY && size < values.length >> 5) {
            resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(size) << 3)); // a quarter full at most
        }
        return removed;
    }

    /** Removes everything, and the tables with it. */
    public void clear() {
        keys = null;
        values = null;
        size = 0;
        modifications++;
    }

    public int size() {
        return size;
    }

    /** The slots of the table: how much memory the map holds, for tests. */
    int capacity() {
        return values == null ? 0 : values.length;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The values, in no particular order; the map must not change while they are iterated. */
    public Iterable<V> values() {
        return ValueIterator::new;
    }

    /**
     * Empties slot {@code gap} by moving later entries of its probe chain back: an entry moves into the gap when its
     * home slot does not lie cyclically after the gap, so every entry stays reachable from its home.
     */
    private void closeGap(int gap, int mask) {
        int j = (gap + 1) & mask;
        while (values[j] != null) {
            int home = slot(keys[j], mask);
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                keys[gap] = keys[j];
                values[gap] = values[j];
                gap = j;
            }
            j = (j + 1) & mask;
        }
        values[gap] = null;
        keys[gap] = 0;
    }

    private void resize(int capacity) {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[capacity];
        values = new Object[capacity];
        int mask = capacity - 1;
        for (int k = 0; k < oldValues.length; k++) {
            if (oldValues[k] != null) {
                int i = slot(oldKeys[k], mask);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[k];
                values[i] = oldValues[k];
            }
        }
    }

    /** Tokens are handed out in sequence: mix the bits, or neighbours would crowd one run of slots. */
    private static int slot(long token, int mask) {
        long h = token * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private final class ValueIterator implements Iterator<V> {
        private final int expected = modifications;
        private int next = -1;

        ValueIterator() {
            advance();
        }

        @Override
        public boolean hasNext() {
            return values != null && next < values.length;
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
            } while (next < values.length && values[next] == null);
        }
    }
}
