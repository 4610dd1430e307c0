package io.tunnelmq.server.destination;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The named subscriptions of {@link Subscriptions} by their key, telling the registry's listener as each comes and
 * goes (so JMX has a bean for each). Guarded by the monitor of {@code Subscriptions}: the listener hears of one
 * subscription's start and end in that order, and must be quick.
 */
final class SubscriptionEntries {
    private final Map<SubscriptionEntry.Key, SubscriptionEntry> byKey = new HashMap<>();
    private final Supplier<DestinationListener> listener;
    /** Counts additions and makings, for {@link SubscriptionEntry#stamp}. */
    private long stamps;

    SubscriptionEntries(Supplier<DestinationListener> listener) {
        this.listener = listener;
    }

    SubscriptionEntry get(SubscriptionEntry.Key key) {
        return byKey.get(key);
    }

    boolean contains(SubscriptionEntry.Key key) {
        return byKey.containsKey(key);
    }

    /** Adds a new subscription, in place of any of its key (the caller ended that one). */
    void add(SubscriptionEntry entry) {
        entry.stamp = ++stamps;
        SubscriptionEntry replaced = byKey.put(entry.key, entry);
        if (replaced != null) {
            listener.get().namedSubscriptionRemoved(replaced.view());
        }
        listener.get().namedSubscriptionCreated(entry.view());
    }

    /** Removes this subscription, if it is still the one of its key. */
    boolean remove(SubscriptionEntry entry) {
        if (!byKey.remove(entry.key, entry)) {
            return false;
        }
        listener.get().namedSubscriptionRemoved(entry.view());
        return true;
    }

    /**
     * The subscription, added before, is now made in a store shared with other brokers, under {@code storeId}: the
     * listener hears of it again when that is not the id it was added with (another broker's subscription, joined).
     */
    void made(SubscriptionEntry entry, long storeId) {
        entry.stamp = ++stamps;
        if (entry.storeId != storeId) {
            listener.get().namedSubscriptionRemoved(entry.view());
            entry.storeId = storeId;
            listener.get().namedSubscriptionCreated(entry.view());
        }
    }

    /** The stamp the next subscription added or made gets is greater than this. */
    long stamp() {
        return stamps;
    }

    /** The subscription stored under {@code storeId}, or null. */
    SubscriptionEntry byStoreId(long storeId) {
        for (SubscriptionEntry e : byKey.values()) {
            if (e.storeId == storeId) {
                return e;
            }
        }
        return null;
    }

    /** Every subscription now: a copy. */
    List<SubscriptionEntry> all() {
        return List.copyOf(byKey.values());
    }

    /** Every subscription now as monitoring sees it: a copy. */
    List<NamedSubscription> views() {
        List<NamedSubscription> views = new ArrayList<>(byKey.size());
        for (SubscriptionEntry e : byKey.values()) {
            views.add(e.view());
        }
        return views;
    }

    int size() {
        return byKey.size();
    }
}
