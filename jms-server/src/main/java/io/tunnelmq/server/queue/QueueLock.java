package io.tunnelmq.server.queue;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One queue's lock, shared by the parts of its API ({@link PeekLockQueue}, {@link QueueConsumers}). Every public
 * operation takes it, does its bookkeeping, releases it, then drains the queue's {@link Outbox}: what must call out
 * (deliveries, revocations, store events, dead letters) runs after the release, in lock order.
 */
final class QueueLock {
    private final ReentrantLock lock = new ReentrantLock();
    private final Outbox outbox;

    QueueLock(Outbox outbox) {
        this.outbox = outbox;
        outbox.guardedBy(lock::isHeldByCurrentThread);
    }

    void lock() {
        lock.lock();
    }

    /** Releases the lock, then hands on what the work under it left in the outbox. */
    void unlockAndDrain() {
        outbox.seal();
        lock.unlock();
        outbox.drain();
    }

    /** Runs {@code work} under the lock, then hands on what it left in the outbox. Not for hot paths. */
    <T> T underLock(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            unlockAndDrain();
        }
    }
}
