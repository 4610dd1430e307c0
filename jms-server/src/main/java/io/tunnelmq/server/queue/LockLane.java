package io.tunnelmq.server.queue;

/**
 * The locks of one queue that share a lock duration, in the order they were taken or renewed, which is the order they
 * run out in: one timer for the lane, armed for its first lock, instead of one per lock ({@link LockTimers}).
 *
 * <p>An entry is a message and the number {@link LockTimers} gave it when it was added ({@link QueuedMessage#deadline});
 * it is stale once the message's number changed: its lock ended, was renewed (a newer entry follows) or pinned.
 * Stale entries leave from the front as they come to it, and all at once when they outnumber the live ones, so the
 * lane holds no more than twice the queue's locks (and a few more). A ring of two parallel arrays: no entry object.
 * Not thread-safe: guarded by the queue's lock.
 */
final class LockLane {
    private static final int MIN_CAPACITY = 16;
    private static final int SHRINK_ABOVE = 4_096;

    final long durationMillis;
    private QueuedMessage[] messages = new QueuedMessage[MIN_CAPACITY];
    private long[] numbers = new long[MIN_CAPACITY];
    private int head;
    private int size;
    /**
     * The locks of this lane past their expiry but not yet over: unseen, within their grace
     * ({@link LockTimers#UNSEEN_GRACE_MILLIS}), out of the way of the seen ones behind them; in the order they expired,
     * which is the order their grace ends in. Null for a grace lane itself.
     */
    final LockLane grace;
    /** The lane's timer, or null when none is armed; {@link #armedNumber} tells its firing from a cancelled one's. */
    QueueTimer.Cancellable armed;
    long armedNumber;

    /** @param withGrace a lane of locks (with a grace lane), not a grace lane */
    LockLane(long durationMillis, boolean withGrace) {
        this.durationMillis = durationMillis;
        this.grace = withGrace ? new LockLane(durationMillis, false) : null;
    }

    /**
     * Adds a message whose {@link QueuedMessage#deadline} was just set (its lock runs out after every other here), or
     * one moving from its lane to the grace lane.
     */
    void add(QueuedMessage m) {
        if (size == messages.length) {
            grow();
        }
        int at = (head + size) & (messages.length - 1);
        messages[at] = m;
        numbers[at] = m.deadline;
        size++;
    }

    /** The first live entry's message, after dropping the stale ones before it; null when none is left. */
    QueuedMessage first() {
        while (size > 0) {
            QueuedMessage m = messages[head];
            if (m.deadline == numbers[head]) {
                return m;
            }
            removeFirst();
        }
        return null;
    }

    /** Removes the first entry (the one {@link #first} returned); an emptied lane gives back what a burst grew. */
    void removeFirst() {
        messages[head] = null;
        head = (head + 1) & (messages.length - 1);
        size--;
        if (size == 0) {
            head = 0;
            if (messages.length > SHRINK_ABOVE) {
                messages = new QueuedMessage[MIN_CAPACITY];
                numbers = new long[MIN_CAPACITY];
            }
        }
    }

    int size() {
        return size;
    }

    /** Whether no live entry is left here or in the grace lane. */
    boolean isEmpty() {
        return first() == null && (grace == null || grace.first() == null);
    }

    /** Drops every stale entry, keeping the order of the live ones. */
    void compact() {
        int kept = 0;
        int mask = messages.length - 1;
        for (int i = 0; i < size; i++) {
            int from = (head + i) & mask;
            QueuedMessage m = messages[from];
            if (m.deadline == numbers[from]) {
                int to = (head + kept) & mask;
                messages[to] = m;
                numbers[to] = numbers[from];
                kept++;
            }
        }
        for (int i = kept; i < size; i++) {
            messages[(head + i) & mask] = null;
        }
        size = kept;
    }

    private void grow() {
        int capacity = messages.length * 2;
        QueuedMessage[] newMessages = new QueuedMessage[capacity];
        long[] newNumbers = new long[capacity];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (messages.length - 1);
            newMessages[i] = messages[from];
            newNumbers[i] = numbers[from];
        }
        messages = newMessages;
        numbers = newNumbers;
        head = 0;
    }

    @Override
    public String toString() {
        return "lock lane of " + durationMillis + " ms (" + size + " entries)";
    }
}
