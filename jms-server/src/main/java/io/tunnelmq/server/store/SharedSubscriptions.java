package io.tunnelmq.server.store;

import java.util.concurrent.CompletableFuture;

/**
 * Named topic subscriptions across the brokers over a shared store, whose consumers may be on any of them. A broker
 * holds a subscription in the store from its first consumer of it to its last: a shared non-durable one lives while
 * some broker holds it, a durable one outlives its holders but is replaced or unsubscribed only while no other live
 * broker holds it. The store calls of one subscription reach the store in the order a broker makes them; nothing here
 * blocks the caller.
 */
public interface SharedSubscriptions {

    /**
     * Holds a shared non-durable subscription (client ID and name of {@code terms}) for this broker's consumers: the
     * store makes it with {@code id} if it has none of that client ID and name, or this broker joins the one it has
     * when that names the same topic and selector. With other terms it is left as it is: the caller compares.
     *
     * @return completes with the id and terms of the subscription as stored
     */
    CompletableFuture<Held> holdShared(long id, DurableSubscription terms);

    /**
     * Holds the durable subscription of {@code terms}'s client ID and name for this broker's first consumer of it,
     * made or joined in one step, so that two brokers making it at the same moment share one: the store makes it with
     * {@code id} if it has none, joins the one it has when that has the same terms (topic, selector, noLocal and
     * sharing), and replaces one with another topic, selector or noLocal (its messages dropped) when no live broker
     * other than this one holds it. Otherwise (held elsewhere, or shared where unshared is asked or the other way round)
     * it is left as it is: the caller compares. The other brokers are told of a subscription made or removed
     * ({@link SharedQueues#listenSubscriptions}).
     *
     * @return completes with the id and terms of the subscription as stored; this broker holds it when they are
     *         {@code terms}
     */
    CompletableFuture<Held> holdDurable(long id, DurableSubscription terms);

    /**
     * This broker's first consumer of the stored durable subscription {@code id}, which it knows, opened: the store
     * counts this broker among the subscription's holders until it gives it back ({@link #giveBack}), so meanwhile no
     * broker replaces or unsubscribes it ({@link #removeUnheld}).
     *
     * @return completes with whether the store has it (false: removed through another broker)
     */
    CompletableFuture<Boolean> holdDurable(long id);

    /**
     * This broker no longer holds the named subscription {@code id} (its last consumer here closed): a shared
     * non-durable one the last broker to give it back removes with its messages; a durable one stays.
     */
    CompletableFuture<Void> giveBack(long id);

    /**
     * Removes the durable subscription {@code id} with its messages (an unsubscribe, or a consumer with other terms
     * replacing it) unless a live broker other than this one holds it; the other brokers are told of it as of any
     * durable subscription removed ({@link SharedQueues#listenSubscriptions}).
     *
     * @return completes with false when another broker holds it (nothing removed), true when removed or already gone
     */
    CompletableFuture<Boolean> removeUnheld(long id);

    /**
     * The durable subscription of that client ID (null: none) and name, as the store holds it now; one index lookup.
     *
     * @return completes with it, or with null when the store has none
     */
    CompletableFuture<Held> findDurable(String clientId, String name);

    /** A named subscription as the store holds it (a shared non-durable one's terms in the shape of a durable one's). */
    record Held(long id, DurableSubscription terms) {
    }
}
