package io.tunnelmq.jms.failover;

import java.util.ArrayList;
import java.util.List;

/**
 * The JMSMessageIDs of the last messages a consumer handed to its application: after a lost connection the broker
 * is told them, because the hand-out notice or completion of each may have been lost with the connection. A ring:
 * the oldest ids drop out. Thread-safe.
 */
final class SeenIds {
    static final int CAPACITY = 1_000;

    private final String[] ring;
    private int next;
    private int size;

    SeenIds(int capacity) {
        this.ring = new String[capacity];
    }

    synchronized void add(String messageId) {
        if (messageId == null) {
            return;
        }
        ring[next] = messageId;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    /** The ids, oldest first. */
    synchronized List<String> snapshot() {
        List<String> ids = new ArrayList<>(size);
        int start = (next - size + ring.length) % ring.length;
        for (int i = 0; i < size; i++) {
            ids.add(ring[(start + i) % ring.length]);
        }
        return ids;
    }

    synchronized void clear() {
        java.util.Arrays.fill(ring, null);
        next = 0;
        size = 0;
    }
}
