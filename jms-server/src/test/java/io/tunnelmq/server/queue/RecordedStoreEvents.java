package io.tunnelmq.server.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * The store writes a queue asks for, recorded as {@code "storeId=count"} and {@code "storeId dropped"}, for tests that
 * check what a queue makes durable.
 */
final class RecordedStoreEvents implements StoredMessageEvents {
    private final List<String> events = new ArrayList<>();

    @Override
    public synchronized void deliveryCountChanged(long storeId, int deliveryCount) {
        events.add(storeId + "=" + deliveryCount);
    }

    @Override
    public synchronized void dropped(long storeId) {
        events.add(storeId + " dropped");
    }

    /** A copy of what was recorded so far, in order. */
    synchronized List<String> events() {
        return List.copyOf(events);
    }
}
