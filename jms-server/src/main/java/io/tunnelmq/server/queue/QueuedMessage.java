package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;

/**
 * A message in a queue and its peek-lock state. Guarded by the owning queue's lock. A message is available
 * (in the queue's available set), locked ({@code lockToken != 0}), scheduled (waiting for its delivery time),
 * or gone.
 */
final class QueuedMessage {
    private static final long SEQUENCE_MASK = (1L << 59) - 1;
    final long sequence;
    /** Its place in delivery order as one number: higher priority first, then arrival ({@link #keyOf}). */
    final long orderKey;
    final WireMessage message;
    /** The message's id in the message store; 0 when it is not stored. */
    final long storeId;
    /** {@code sizeEstimate()}: the unit of send windows and byte credit. */
    final int size;
    /** The heap the broker spends on holding it: what the memory limits count. */
    final long footprint;

    /** When it came onto the queue (or was recovered), on the queue's clock: for the oldest message's age. */
    long arrivedAt;
    /** The count the next (or current) delivery carries: 1 at first, raised by abandon and expiry. */
    int deliveryCount = 1;
    /**
     * The count the message store holds for it (stored messages only): set at enqueue, raised ahead of
     * {@link #deliveryCount} by a Settle TAKEN so a crash brings the message back redelivered. Compared before
     * writing, so no count is written twice.
     */
    int storedCount = 1;

    long lockToken;
    LockOwner owner;
    long lockedUntil;
    long lockDurationMillis;
    QueueTimer.Cancellable expiry;
    /** Held for a commit that is about to complete it: the lock no longer expires. */
    boolean pinned;
    /** The consumer the current lock was delivered to, for its unseen count; null when not locked. */
    ConsumerRing.Slot deliveredTo;
    /** {@code deliveredTo.waits} when it was delivered: see {@link ConsumerRing.Slot#waits}. */
    int waitsAtDelivery;
    /**
     * The client said the application was handed it (Settle TAKEN): losing this lock abandons (count +1) rather
     * than releases. Every lock starts unseen.
     */
    boolean seen;
    /**
     * The last lock on it ended seen: abandoned (by the client, or lost after Settle TAKEN), so its count was raised
     * for that delivery. False while it was never delivered, or its last lock ended unseen (released). A message
     * recovered from the store with a count above 1 counts as seen: its count was raised for a seen delivery. Read
     * when a reconnecting consumer names it as seen ({@link Settlement#seenElsewhere}).
     */
    boolean lastDeliverySeen;

    QueuedMessage(long sequence, WireMessage message, long storeId) {
        this.sequence = sequence;
        this.orderKey = keyOf(message.priority(), sequence);
        this.message = message;
        this.storeId = storeId;
        this.size = message.sizeEstimate();
        this.footprint = MessageFootprint.of(message);
    }

    boolean isLocked() {
        return lockToken != 0;
    }

    /** A stand-in with only a place in delivery order, to find where a browse left off; never queued. */
    private QueuedMessage(long orderKey) {
        this.sequence = orderKey & SEQUENCE_MASK;
        this.orderKey = orderKey;
        this.message = null;
        this.storeId = 0;
        this.size = 0;
        this.footprint = 0;
    }

    static QueuedMessage probe(long orderKey) {
        return new QueuedMessage(orderKey);
    }

    /** Priority 0..9 in the top bits (9 first), the arrival sequence below: ordered as deliveries are. */
    static long keyOf(int priority, long sequence) {
        return ((long) (9 - priority) << 59) | (sequence & SEQUENCE_MASK);
    }

    /** The priority part of an order key ({@link #keyOf}). */
    static int priorityOf(long orderKey) {
        return 9 - (int) (orderKey >>> 59);
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
        seen = false;
    }
}
