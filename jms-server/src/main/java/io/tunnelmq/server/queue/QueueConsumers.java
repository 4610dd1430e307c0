package io.tunnelmq.server.queue;

import java.util.function.Supplier;

/**
 * The consumer side of one queue ({@link PeekLockQueue#consumers()}): attaching and detaching consumers and granting
 * them credit. Every change dispatches, so a consumer that may now take gets messages, and one that now starves may
 * have prefetched messages of others revoked for it ({@link PrefetchBalancer}).
 *
 * <p>Thread safety: each call takes the queue's lock for its bookkeeping and hands deliveries and revocations on
 * after releasing it, exactly as the queue's own operations do ({@link QueueLock}).
 */
public final class QueueConsumers {
    private final QueueContents q;
    private final QueueLock lock;
    private final Dispatcher dispatcher;

    QueueConsumers(QueueContents contents, QueueLock lock, Dispatcher dispatcher) {
        this.q = contents;
        this.lock = lock;
        this.dispatcher = dispatcher;
    }

    /**
     * Attaches a consumer with an initial credit.
     *
     * @throws IllegalStateException if it is already attached
     */
    public void add(QueueConsumer consumer, int credit) {
        add(consumer, credit, 0);
    }

    /**
     * Attaches a consumer with an initial credit in messages and in bytes ({@code sizeEstimate()}; 0 = no byte
     * limit). A message goes to it while both last; one message may go beyond the byte credit while more than
     * half of it is left, so a message larger than the whole byte credit is never stuck.
     *
     * @throws IllegalStateException if it is already attached
     */
    public void add(QueueConsumer consumer, int credit, long creditBytes) {
        requireCredit(credit, 0);
        if (creditBytes < 0) {
            throw new IllegalArgumentException("byte credit must be >= 0, was " + creditBytes);
        }
        lock.underLock(() -> {
            q.consumers.add(consumer, credit, creditBytes);
            q.memory.consumersAttached(q.consumers.takingAll() > 0);
            dispatcher.dispatch();
            return null;
        });
    }

    /** Grants a consumer more deliveries. @return false if the consumer is not attached */
    public boolean addCredit(QueueConsumer consumer, int credit) {
        requireCredit(credit, 1);
        return addCredit(consumer, credit, 0);
    }

    /**
     * Grants a consumer more deliveries and bytes (bytes count only for a consumer attached with a byte credit).
     * Any credit ends a decline.
     *
     * @return false if the consumer is not attached
     */
    public boolean addCredit(QueueConsumer consumer, int messages, long bytes) {
        if (messages < 0 || bytes < 0 || (messages == 0 && bytes == 0)) {
            throw new IllegalArgumentException("credit must add messages or bytes and never be negative, was "
                    + messages + " messages, " + bytes + " bytes");
        }
        return creditThenDispatch(() -> q.consumers.addCredit(consumer, messages, bytes));
    }

    /**
     * Sets a consumer's credit to exactly {@code messages} and (for a consumer attached with a byte credit)
     * {@code bytes}: 0 stops deliveries to it (a stopped connection) without detaching it. Ends a decline.
     *
     * @return false if the consumer is not attached
     */
    public boolean setCredit(QueueConsumer consumer, int messages, long bytes) {
        if (messages < 0 || bytes < 0) {
            throw new IllegalArgumentException("credit must never be negative, was " + messages + " messages, "
                    + bytes + " bytes");
        }
        return creditThenDispatch(() -> q.consumers.setCredit(consumer, messages, bytes));
    }

    /**
     * The consumer's application waits on an empty buffer: it ends a decline, and a consumer that now starves
     * may have prefetched messages of others revoked for it.
     *
     * @return false if the consumer is not attached
     */
    public boolean waiting(QueueConsumer consumer) {
        return creditThenDispatch(() -> {
            ConsumerSlot slot = q.consumers.addCredit(consumer, 0, 0);
            if (slot != null) {
                slot.waits++;
            }
            return slot;
        });
    }

    /** The consumer can take deliveries again (its connection became writable): dispatch to it. */
    public void resume(QueueConsumer consumer) {
        lock.underLock(() -> {
            dispatcher.dispatch();
            return null;
        });
    }

    /**
     * Detaches a consumer: no more deliveries. The locks it took stay with their owner. (Then dispatches: a queue
     * sharing its backlog with other brokers hands back what nobody here takes now.)
     */
    public boolean remove(QueueConsumer consumer) {
        return lock.underLock(() -> {
            boolean removed = q.consumers.remove(consumer);
            q.memory.consumersAttached(q.consumers.takingAll() > 0);
            dispatcher.dispatch();
            return removed;
        });
    }

    /** Whether the consumer declined deliveries (gave messages back unseen) and sent no credit since. */
    boolean isDeclined(QueueConsumer consumer) {
        return lock.underLock(() -> q.consumers.isDeclined(consumer));
    }

    /** Changes a consumer's credit, then dispatches (a consumer may now take, or starve). */
    private boolean creditThenDispatch(Supplier<ConsumerSlot> change) {
        return lock.underLock(() -> {
            boolean known = change.get() != null;
            dispatcher.dispatch();
            return known;
        });
    }

    private static void requireCredit(int credit, int min) {
        if (credit < min) {
            throw new IllegalArgumentException("credit must be >= " + min + ", was " + credit);
        }
    }
}
