package io.tunnelmq.server.management;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.cluster.ClaimFeeds;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoredQueue;

import java.util.List;
import java.util.function.BiPredicate;

/**
 * An operator's browse of a queue or durable subscription over a store shared with other brokers, past what this
 * broker holds: its messages in the store that this broker does not hold (waiting there, or claimed by another
 * broker), in delivery order, page by page. Like a {@code QueueBrowser} it sees due, unexpired messages: one waiting
 * in the store for its delivery time is not listed.
 */
final class StoredBrowse {
    /** Messages read from the store per page. */
    static final int PAGE = 200;

    private StoredBrowse() {
    }

    /**
     * Adds to {@code views} the stored messages of {@code key} that {@code filter} selects (by message and publisher)
     * until it holds {@code max}; {@code name} is what the operator called it.
     */
    static void append(ClaimFeeds cluster, StoredQueue key, String name, BiPredicate<WireMessage, String> filter,
                       int max, List<MessageView> views) {
        long now = System.currentTimeMillis();
        long from = 0;
        while (views.size() < max) {
            SharedQueues.BrowseRows rows = StoreWait.result(cluster.browse(key, from, PAGE, now),
                    "browse '" + name + "'", "nothing was changed");
            for (int i = 0; i < rows.messages().size() && views.size() < max; i++) {
                WireMessage m = rows.messages().get(i);
                if (!rows.mine()[i] && filter.test(m, rows.publishers()[i])) {
                    views.add(MessageViews.stored(m, rows.deliveryCounts()[i]));
                }
            }
            if (rows.end() || rows.keys().length == 0) {
                return; // the end, or a page of rows none of which could be read
            }
            from = rows.keys()[rows.keys().length - 1] + 1;
        }
    }
}
