package io.tunnelmq.server.queue;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * Lock tokens in ascending order, as a consumer's deliveries get them (a queue hands out tokens in order under its
 * lock), with removal of any one: the prefetched deliveries a consumer has not seen yet ({@link ConsumerSlot}). Most
 * leave from the front, as the application takes the oldest first; one from the middle leaves by a binary search and
 * a shift of the shorter side. Primitive longs in one array: no boxed token and no set entry per delivery. A token
 * out of order still goes in its place. Not thread-safe: guarded by the queue's lock.
 */
final class TokenList {
    private static final long[] NONE = {};

    private long[] tokens = NONE;
    /** The tokens are {@code tokens[from..to)}. */
    private int from;
    private int to;

    int size() {
        return to - from;
    }

    boolean isEmpty() {
        return to == from;
    }

    void add(long token) {
        if (to == tokens.length) {
            makeRoom();
        }
        if (to == from || token > tokens[to - 1]) {
            tokens[to++] = token;
            return;
        }
        int at = Arrays.binarySearch(tokens, from, to, token);
        if (at >= 0) {
            return; // already in
        }
        at = -at - 1;
        System.arraycopy(tokens, at, tokens, at + 1, to - at);
        tokens[at] = token;
        to++;
    }

    /** @return whether it was in */
    boolean remove(long token) {
        int at = to == from ? -1 : token == tokens[from] ? from : Arrays.binarySearch(tokens, from, to, token);
        if (at < 0) {
            return false;
        }
        if (at - from < to - at - 1) {
            System.arraycopy(tokens, from, tokens, from + 1, at - from);
            from++;
        } else {
            System.arraycopy(tokens, at + 1, tokens, at, to - at - 1);
            to--;
        }
        if (from == to) {
            from = 0;
            to = 0;
        }
        return true;
    }

    /** How many tokens {@code wanted} accepts. */
    int count(LongPredicate wanted) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (wanted.test(tokens[i])) {
                n++;
            }
        }
        return n;
    }

    /** The newest (largest) {@code count} tokens among those {@code wanted} accepts (null: all), oldest first. */
    long[] newest(int count, LongPredicate wanted) {
        long[] picked = new long[Math.min(count, size())];
        int n = picked.length;
        for (int i = to - 1; i >= from && n > 0; i--) {
            if (wanted == null || wanted.test(tokens[i])) {
                picked[--n] = tokens[i];
            }
        }
        return n == 0 ? picked : Arrays.copyOfRange(picked, n, picked.length);
    }

    /** Room at the end: the live tokens moved to the front, or a larger array when they fill half of it. */
    private void makeRoom() {
        int size = size();
        long[] target = size * 2 > tokens.length || tokens.length == 0 ? new long[Math.max(8, size * 2)] : tokens;
        System.arraycopy(tokens, from, target, 0, size);
        tokens = target;
        from = 0;
        to = size;
    }
}
