package io.tunnelmq.jms.client;

import io.tunnelmq.jms.engine.Delivery;
import io.tunnelmq.jms.engine.Released;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The deliveries a consumer holds that the application has not taken yet (the prefetch). Fed on the engine
 * thread without blocking; taken by receive or by the session's listener thread.
 */
final class ConsumerBuffer {

    /**
     * A buffered delivery.
     *
     * @param returned it was taken once and put back ({@link #putBack}): its credit was already given back
     */
    record Entry(Delivery delivery, boolean returned) {
    }

    /** The credit removed entries give back: none for one put back, whose credit went back when it was taken. */
    private static final class Credit {
        int messages;
        long bytes;

        void add(Entry e) {
            if (!e.returned()) {
                messages++;
                bytes += e.delivery().message().sizeEstimate();
            }
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private boolean closed;

    /** Adds a delivery; false if the buffer is closed (the caller must release the message). */
    boolean add(Delivery delivery) {
        return insert(new Entry(delivery, false), false);
    }

    /**
     * Puts a taken delivery back at the head, to be taken next; false if the buffer is closed (the caller must
     * release the message).
     */
    boolean putBack(Delivery delivery) {
        return insert(new Entry(delivery, true), true);
    }

    private boolean insert(Entry entry, boolean atHead) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            if (atHead) {
                entries.addFirst(entry);
            } else {
                entries.addLast(entry);
            }
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The next entry, or null if there is none or the buffer is closed. */
    Entry poll() {
        lock.lock();
        try {
            return closed ? null : entries.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the next entry while {@code deliveryStarted} holds. */
    Entry take(long timeoutMillis, BooleanSupplier deliveryStarted) throws InterruptedException {
        return take(timeoutMillis, deliveryStarted, () -> { });
    }

    /**
     * Waits for the next entry while {@code deliveryStarted} holds.
     *
     * @param timeoutMillis 0 waits without limit, a negative value does not wait
     * @param onEmpty       runs (under the buffer's lock, so it must not block) each time the caller is about to
     *                      wait, or to give up without waiting, on an empty buffer while delivery is started
     * @return the entry, or null on timeout or when the buffer is closed
     */
    Entry take(long timeoutMillis, BooleanSupplier deliveryStarted, Runnable onEmpty) throws InterruptedException {
        long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        lock.lockInterruptibly();
        try {
            while (!closed && (entries.isEmpty() || !deliveryStarted.getAsBoolean())) {
                if (entries.isEmpty() && deliveryStarted.getAsBoolean()) {
                    onEmpty.run();
                }
                if (timeoutMillis < 0) {
                    return null;
                }
                if (timeoutMillis == 0) {
                    changed.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    changed.awaitNanos(left);
                }
            }
            return closed ? null : entries.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes waiting receivers to look again (the connection started). */
    void wakeUp() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** No further deliveries are accepted and waiting receivers return null; entries stay until drained. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes every entry and returns their lock tokens, in delivery order, and the credit they give back (not that of
     * entries put back: see {@link Released}).
     */
    Released drain() {
        lock.lock();
        try {
            long[] tokens = new long[entries.size()];
            Credit credit = new Credit();
            int i = 0;
            for (Entry e : entries) {
                tokens[i++] = e.delivery().lockToken();
                credit.add(e);
            }
            entries.clear();
            return tokens.length == 0 ? Released.NONE : new Released(tokens, credit.messages, credit.bytes);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the entries among {@code lockTokens} that are still here (the application has not taken them),
     * atomically with respect to {@link #poll} and {@link #take}, and returns their tokens in delivery order and
     * their size in all. Tokens no longer here (taken already) are skipped.
     */
    Released revoke(long[] lockTokens) {
        if (lockTokens.length == 0) {
            return Released.NONE;
        }
        Set<Long> wanted = new HashSet<>(lockTokens.length * 2);
        for (long t : lockTokens) {
            wanted.add(t);
        }
        lock.lock();
        try {
            long[] removed = new long[Math.min(lockTokens.length, entries.size())];
            Credit credit = new Credit();
            int n = 0;
            for (Iterator<Entry> it = entries.iterator(); it.hasNext() && n < removed.length; ) {
                Entry e = it.next();
                if (wanted.contains(e.delivery().lockToken())) {
                    it.remove();
                    removed[n++] = e.delivery().lockToken();
                    credit.add(e);
                }
            }
            return n == 0 ? Released.NONE : new Released(Arrays.copyOf(removed, n), credit.messages, credit.bytes);
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return entries.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
