package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;

/**
 * A message in a queue and its peek-lock state. Guarded by the owning queue's lock. A message is available
 * (in the queue's available set), locked ({@code lockToken != 0}), scheduled (waiting for its delivery time),
 * or gone.
 *
 * <p>A message may be <em>paged out</em> ({@link #isPagedOut()}): its body lives on disk (a stored message in the
 * message store, another one at {@link #pageRef} in the page file) and only what ordering, expiry and the index by
 * id need stays here. {@link PageIn} reads it back before it is delivered. Only waiting messages are paged out: a
 * locked one always has its message.
 */
final class QueuedMessage {
    private static final long SEQUENCE_MASK = (1L << 59) - 1;
    final long sequence;
    /** Its place in delivery order as one number: higher priority first, then arrival ({@link #keyOf}). */
    final long orderKey;
    /** The message; null while it is paged out. */
    WireMessage message;
    /** The message's id in the message store; 0 when it is not stored. */
    final long storeId;
    /** Where the page file keeps it (a message that is not stored); 0 = not in the page file. */
    long pageRef;
    /** {@code sizeEstimate()}: the unit of send windows and byte credit. */
    final int size;
    /** JMSExpiration (0 = never), kept for a paged-out message too. */
    final long expiration;
    /** JMSMessageID, kept for the queue's index by id while it is paged out. */
    final String messageId;
    /** The heap the broker spends on holding it now: what the memory limits count (less while paged out). */
    long footprint;
    /** Read back from disk and not delivered since: {@link PageIn} may page it out again if no consumer selects it. */
    boolean pagedIn;
    /** The consumers' generation ({@link ConsumerRing#generation()}) at which none of them selected it. */
    int unselectedAt = -1;
    /** Counted against the disk limit while held: stored, or paged out to the page file, when it arrived. */
    boolean onDisk;
    /** Out of the queue for good (settled, moved, dropped): a page read finishing late leaves it alone. */
    boolean gone;

    /** While scheduled: when it becomes available (epoch millis on the queue's clock). */
    long dueAt;

    /** When it came onto the queue (or was recovered), on the queue's clock: for the oldest message's age. */
    long arrivedAt;
    /**
     * When its last lock ended and it waited again ({@link System#nanoTime}, never 0); 0 while it has waited since it
     * arrived. A message claimed from a store shared with other brokers waits since its claim was asked, not since it
     * arrived: before the claim it may have been locked on another broker. A purge across the brokers that reaches this
     * broker late drops only what waited before it was taken
     * ({@link QueueContents#purge(java.util.function.LongPredicate, long)}).
     */
    long waitingAgainSince;

    /** {@code nanos} ({@link System#nanoTime}) as {@link #waitingAgainSince} keeps it: never 0. */
    static long waitingSince(long nanos) {
        return nanos | 1;
    }
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
    /** The number of its entry in its lock's lane ({@link LockTimers}); 0 while its lock does not run out. */
    long deadline;
    /** Held for a commit that is about to complete it: the lock no longer expires. */
    boolean pinned;
    /** The consumer the current lock was delivered to, for its unseen count; null when not locked. */
    ConsumerSlot deliveredTo;
    /** {@code deliveredTo.waits} when it was delivered: see {@link ConsumerSlot#waits}. */
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
        this(sequence, message, storeId, MessageFootprint.of(message));
    }

    /** @param footprint {@link MessageFootprint#of} the message, when the caller has it already */
    QueuedMessage(long sequence, WireMessage message, long storeId, long footprint) {
        this.sequence = sequence;
        this.orderKey = keyOf(message.priority(), sequence);
        this.message = message;
        this.storeId = storeId;
        this.size = message.sizeEstimate();
        this.expiration = message.expiration();
        this.messageId = message.messageId();
        this.footprint = footprint;
    }

    boolean isLocked() {
        return lockToken != 0;
    }

    /** Priority 0..9 in the top bits (9 first), the arrival sequence below: ordered as deliveries are. */
    static long keyOf(int priority, long sequence) {
        return ((long) (9 - priority) << 59) | (sequence & SEQUENCE_MASK);
    }

    /** The priority band of an order key ({@link #keyOf}): 0 for priority 9, delivered first, to 9 for priority 0. */
    static int bandOf(long orderKey) {
        return (int) (orderKey >>> 59);
    }

    boolean hasExpired(long now) {
        return expiration != 0 && expiration < now;
    }

    /** Its body is on disk only. */
    boolean isPagedOut() {
        return message == null;
    }

    void lock(long token, LockOwner newOwner, long until, long duration) {
        lockToken = token;
        owner = newOwner;
        lockedUntil = until;
        lockDurationMillis = duration;
    }

    void clearLock() {
        deadline = 0;
        lockToken = 0;
        owner = null;
        lockedUntil = 0;
        pinned = false;
        seen = false;
    }
}
