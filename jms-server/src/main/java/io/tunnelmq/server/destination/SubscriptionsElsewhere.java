package io.tunnelmq.server.destination;

import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.SharedQueues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * What other brokers sharing the store do to durable subscriptions, followed by this broker's {@link Subscriptions}:
 * one made elsewhere is learned (so a consumer of it here gets its messages), one removed elsewhere forgotten, by the
 * notices the others send and by a resync of every row when this broker could not hear them for a while.
 *
 * <p>Called under the monitor of its {@link Subscriptions}, except {@link #follow}, whose answers take that monitor.
 */
final class SubscriptionsElsewhere {
    private static final Logger log = LoggerFactory.getLogger(SubscriptionsElsewhere.class);

    private final Subscriptions monitor;
    private final SubscriptionEntries entries;
    private final DestinationRegistry destinations;

    SubscriptionsElsewhere(Subscriptions monitor, SubscriptionEntries entries, DestinationRegistry destinations) {
        this.monitor = monitor;
        this.entries = entries;
        this.destinations = destinations;
    }

    /** Listens to the other brokers' notices; each looks its row up, read after the stamp taken before it. */
    void follow(SharedQueues shared) {
        shared.listenSubscriptions(id -> {
            long asOf = monitor.stamp();
            if (id == 0) {
                shared.durableSubscriptions().thenAccept(stored -> monitor.resync(stored, asOf));
            } else {
                shared.subscription(id).thenAccept(found -> monitor.changedElsewhere(id, found, asOf));
            }
        });
    }

    /**
     * Another broker made ({@code found}) or removed ({@code found} null) the durable subscription with that store id,
     * as read after {@code asOf} ({@link SubscriptionEntries#stamp}). One removed elsewhere while it has consumers here
     * stays until they close (it gets nothing more). The store keeps one row per name, so a row under another id than
     * the one known here for its name means the known one was removed, unless that one was made here after the read.
     */
    void changed(long storeId, DurableSubscription found, long asOf) {
        SubscriptionEntry known = entries.byStoreId(storeId);
        if (found == null && known != null && !known.removing) {
            if (known.consumers > 0) {
                known.removedElsewhere = true; // it gets nothing more, and goes with its last consumer here
                return;
            }
            entries.remove(known);
            known.forget(destinations);
            log.info("{} was removed through another broker", Subscriptions.describe(known.key));
        } else if (found != null && known == null) {
            SubscriptionEntry.Key key = new SubscriptionEntry.Key(found.clientId(), found.name(), true);
            SubscriptionEntry stale = entries.get(key);
            if (stale != null && stale.storedBy(asOf)) {
                changed(stale.storeId, null, asOf); // removed, its notice not here (yet)
            }
            if (!entries.contains(key)) {
                monitor.restore(storeId, found);
                log.debug("{} was made through another broker", Subscriptions.describe(key));
            }
        }
    }

    /**
     * Follows every row the store holds, read after {@code asOf}: what was made elsewhere is learned, what is not in
     * them is forgotten, except what was made here since.
     */
    void resync(Map<Long, DurableSubscription> stored, long asOf) {
        stored.forEach((id, found) -> changed(id, found, asOf));
        for (SubscriptionEntry e : entries.all()) {
            if (e.key.durable() && e.storedBy(asOf) && !stored.containsKey(e.storeId)) {
                changed(e.storeId, null, asOf);
            }
        }
    }
}
