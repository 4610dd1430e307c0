package io.tunnelmq.server.management;

import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.queue.QueueFigures;
import io.tunnelmq.server.store.StoredQueue;

/**
 * One destination as an operator sees it ({@link Management#destinations()}).
 *
 * @param name      its name; a subscription's is its topic's name, {@code #}, the subscribing connection and a
 *                  number, or for a named (durable or shared) subscription its topic's name, {@code :} and its name
 * @param kind      {@code queue}, {@code topic} or {@code subscription}
 * @param temporary a temporary queue or topic (it goes with the connection that made it)
 * @param figures   what it holds and what happened to its messages; null for a topic (its subscriptions hold the
 *                  messages)
 * @param scope     the destination whose permissions cover it ({@link Management#scopeOf}): a subscription's topic
 * @param stored    over a store shared with other brokers, what the store keeps its messages under
 *                  ({@link Management#storedMessages}); null for a topic, a subscription the store does not keep, and
 *                  without such a store
 */
public record DestinationView(String name, String kind, boolean temporary, QueueFigures figures,
                              WireDestination scope, StoredQueue stored) {
}
