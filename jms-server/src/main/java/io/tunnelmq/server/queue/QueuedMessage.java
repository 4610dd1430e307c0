package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;

/**
 * A message in a queue and its peek-lock state. Guarded by the owning queue's lock. A message is available
 * (in the queue's available set), locked ({@code lockToken != 0}), scheduled (waiting for its delivery time),
 * or gone.
 */
final class QueuedMessage {
    final long sequence;
    final WireMessage message;
    /** The message's id in the message store; 0 when it is not stored. */
    final long storeId;
    /** {@code sizeEstimate()}: the unit of send windows and byte credit. */
    final int size;
    /** The heap the broker spends on holding it: what the memory limits count. */
    final long footprint;

    /** The count the next (or current) delivery carries: 1 at first, raised by abandon and expiry. */
    int deliveryCount = 1;

    long lockToken;
    LockOwner owner;
    long lockedUntil;
    long lockDurationMillis;
    QueueTimer.Cancellable expiry;
    /** Held for a commit that is about to complete it: the lock no longer expires. */
    boolean pinned;
    /** The consumer the current lock was delivered to, for its outstanding count; null when not locked. */
    ConsumerRing.Slot deliveredTo;

    QueuedMessage(long sequence, WireMessage message, long storeId) {
        this.sequence = sequence;
        this.message = message;
        this.storeId = storeId;
        this.size = message.sizeEstimate();
        this.footprint = MessageFootprint.of(message);
    }

    boolean isLocked() {
        return lockToken != 0;
    }

    boolean hasExpired(long now) {
        return message.expiration() != 0 && message.expiration() < now;
    }

    void lock(long token, LockOwner newOwner, long until, long duration) {
        lockToken = token;
        owner = newOwner;
        lockedUntil = until;
        lockDurationMillis = duration;
    }

    void clearLock() {
        if (expiry != null) {
            expiry.cancel();
            expiry = null;
        }
        lockToken = 0;
        owner = null;
        lockedUntil = 0;
        pinned = false;
    }
}
