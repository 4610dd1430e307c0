package io.tunnelmq.server.queue;

import java.util.HashMap;
import java.util.Map;

/**
 * A queue's held messages (available, locked or scheduled) by JMSMessageID, for the few who ask: a reconnecting
 * consumer naming the ids it saw ({@link PeekLockQueue#seenElsewhere}) and a browser over a store shared with other
 * brokers ({@link SharedBacklog#holds}). Kept up to date on every arrival and departure, it cost a hash of each id and
 * a map entry per message — a tenth of the broker's CPU in a 1→1 run, for lookups that nearly never come. So it is
 * built on the first lookup (one pass over the queue), kept up to date while lookups come, and dropped once
 * {@link #IDLE_ARRIVALS} messages, or twice as many as it holds, arrived since the last one: the next build's pass
 * is then paid for by arrivals that indexed nothing. Ids are meant to be unique; of two held messages with one id,
 * one is found. Guarded by the queue's lock.
 */
final class MessageIdIndex {
    /** Arrivals without a lookup after which the index is dropped, at least. */
    static final int IDLE_ARRIVALS = 100_000;

    private Map<String, QueuedMessage> byId;
    private long arrivalsSinceLookup;

    /** A message was counted in. */
    void held(QueuedMessage m) {
        if (byId == null) {
            return;
        }
        if (++arrivalsSinceLookup > Math.max(IDLE_ARRIVALS, 2L * byId.size())) {
            byId = null;
            return;
        }
        index(m);
    }

    /** A message was counted out. */
    void removed(QueuedMessage m) {
        if (byId != null && m.messageId != null) {
            byId.remove(m.messageId, m);
        }
    }

    /** The held message of this id, or null; builds the index from what {@code q} holds if it is not kept now. */
    QueuedMessage find(String messageId, QueueContents q) {
        if (byId == null) {
            byId = new HashMap<>();
            q.available.forEach(this::index);
            q.locked.values().forEach(this::index);
            q.scheduled.forEach(this::index);
        }
        arrivalsSinceLookup = 0;
        return byId.get(messageId);
    }

    private void index(QueuedMessage m) {
        if (m.messageId != null) {
            byId.putIfAbsent(m.messageId, m);
        }
    }
}
