package io.tunnelmq.server.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Values by an {@code int} key (a connection's sessions by channel, a session's consumers by id), the first one in two
 * fields and any more in a map made when a second comes. Most connections hold one session and most sessions one
 * consumer; a {@code HashMap} for each, with its table, its node and a boxed key above 127, cost a broker about 200
 * bytes of every idle connection's 4 KiB (issue 19: at most 4 KiB a connection at 10,000). Values are never null.
 * Not thread-safe: its owner's event loop.
 */
final class IntKeyed<V> {
    private int firstKey;
    /** Null: no first entry (the map may still hold some). */
    private V first;
    /** The entries besides the first; null while there are none. */
    private HashMap<Integer, V> more;

    V get(int key) {
        if (first != null && firstKey == key) {
            return first;
        }
        return more == null ? null : more.get(key);
    }

    boolean containsKey(int key) {
        return get(key) != null;
    }

    /** Puts {@code value} under {@code key}. @return the value it replaced, or null */
    V put(int key, V value) {
        Objects.requireNonNull(value, "value");
        if (first != null && firstKey == key) {
            V replaced = first;
            first = value;
            return replaced;
        }
        if (first == null && (more == null || !more.containsKey(key))) {
            firstKey = key;
            first = value;
            return null;
        }
        if (more == null) {
            more = new HashMap<>(4);
        }
        return more.put(key, value);
    }

    /** Removes what is under {@code key}. @return the value removed, or null */
    V remove(int key) {
        if (first != null && firstKey == key) {
            V removed = first;
            first = null;
            return removed;
        }
        if (more == null) {
            return null;
        }
        V removed = more.remove(key);
        if (more.isEmpty()) {
            more = null;
        }
        return removed;
    }

    int size() {
        return (first == null ? 0 : 1) + (more == null ? 0 : more.size());
    }

    /** Each value; {@code action} must not change this map (see {@link #values()}). */
    void forEach(Consumer<? super V> action) {
        if (first != null) {
            action.accept(first);
        }
        if (more != null) {
            more.values().forEach(action);
        }
    }

    /** A copy of the values, for a loop that changes the map. */
    List<V> values() {
        List<V> values = new ArrayList<>(size());
        forEach(values::add);
        return values;
    }

    void clear() {
        first = null;
        more = null;
    }
}
