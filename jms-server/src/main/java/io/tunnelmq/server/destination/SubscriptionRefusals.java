package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.PeerText;
import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.Failures;


/** Why {@link Subscriptions} refuses a consumer or an unsubscribe, each said one way. */
final class SubscriptionRefusals {
    private SubscriptionRefusals() {
    }

    static BrokerException needsClientId(String name) {
        return new BrokerException(ErrorCode.INVALID_CLIENT_ID, "durable subscription '" + name + "' needs a client ID:"
                + " an unshared durable subscription is identified by client ID and name; set a client ID on the"
                + " connection, or make it a shared durable subscription");
    }

    /** Whether a consumer asking for {@code r} may join {@code entry}, the subscription of its key, on its terms. */
    static void checkJoin(SubscriptionEntry entry, Subscriptions.Request r) {
        if (entry.shared != r.shared()) {
            throw new BrokerException(ErrorCode.INVALID_SUBSCRIPTION, describe(entry.key) + " already exists as "
                    + (entry.shared ? "a shared" : "an unshared") + " subscription; use another name, or "
                    + (r.durable() ? "unsubscribe it first" : "close its consumers first"));
        }
        if (!entry.shared && entry.consumers > 0) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, describe(entry.key) + " already has an active consumer;"
                    + " an unshared durable subscription allows one at a time (close it first, or use a shared"
                    + " durable subscription)");
        }
        if (entry.removing) {
            throw busy(entry.key, "being unsubscribed");
        }
        if (!entry.sameTerms(r.topicName(), r.selector(), r.noLocal()) && entry.consumers > 0) {
            throw new BrokerException(ErrorCode.INVALID_SUBSCRIPTION, describe(entry.key) + " is in use on topic '"
                    + entry.topicName + "' with selector " + quote(entry.selector) + "; it cannot be shared with"
                    + " a consumer for topic '" + r.topicName() + "' with selector " + quote(r.selector())
                    + " (use the same topic and selector, or another subscription name)");
        }
    }

    static BrokerException busy(SubscriptionEntry.Key key, String what) {
        return new BrokerException(ErrorCode.ILLEGAL_STATE, describe(key) + " is " + what + " through this broker"
                + " right now; try again once that is done");
    }

    static BrokerException noSuchDurable(String clientId, String name) {
        return new BrokerException(ErrorCode.INVALID_DESTINATION, "cannot unsubscribe: there is no durable"
                + " subscription '" + name + "' for client ID " + quote(clientId) + "; check the name and the"
                + " connection's client ID");
    }

    /** An unsubscribe while the subscription has consumers here, or messages it delivered are unsettled. */
    static void checkUnsubscribe(SubscriptionEntry entry) {
        if (entry.consumers > 0) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "cannot unsubscribe " + describe(entry.key) + ": it has "
                    + entry.consumers + " active consumer(s); close them first");
        }
        long unsettled = entry.queue.stats().locked();
        if (unsettled > 0) {
            // JMS: not while a consumed message is unacknowledged or part of a pending transaction
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "cannot unsubscribe " + describe(entry.key) + ": "
                    + unsettled + " message(s) it delivered are not acknowledged yet (or wait in an open"
                    + " transaction); acknowledge, commit or roll back first");
        }
    }

    /** Another broker sharing the store has consumers of the durable subscription: it cannot be {@code what}. */
    static BrokerException heldElsewhere(SubscriptionEntry.Key key, String what, ErrorCode code) {
        return new BrokerException(code, describe(key) + " has active consumers through another broker of the"
                + " cluster (or one that stopped lately and is not yet taken for dead), so it cannot be " + what
                + "; close them first");
    }

    /**
     * A durable subscription could not be made over a store shared with other brokers: the store holds one of that
     * name with {@code stored}'s terms, in use through another broker, or shared where unshared was asked (or the other
     * way round).
     */
    static BrokerException heldElsewhere(SubscriptionEntry.Key key, DurableSubscription stored, boolean shared) {
        if (stored.shared() != shared) {
            return new BrokerException(ErrorCode.INVALID_SUBSCRIPTION, describe(key) + " already exists as "
                    + (stored.shared() ? "a shared" : "an unshared") + " subscription (made through another broker);"
                    + " use another name, or unsubscribe it first");
        }
        return new BrokerException(ErrorCode.INVALID_SUBSCRIPTION, describe(key) + " is in use through another broker"
                + " of the cluster (or one that stopped lately and is not yet taken for dead) on topic '"
                + stored.topic() + "' with selector " + quote(stored.selector()) + (stored.noLocal() ? ", noLocal" : "")
                + ", so it cannot be changed; close its consumers there first, or use the same terms");
    }

    /**
     * A shared non-durable subscription is held through another broker with {@code stored}'s topic and selector, not
     * those {@code r} asks for.
     */
    static BrokerException sharedElsewhere(Subscriptions.Request r, DurableSubscription stored) {
        return new BrokerException(ErrorCode.INVALID_SUBSCRIPTION, "shared subscription '" + r.name()
                + "' is in use through another broker on topic '" + stored.topic() + "' with selector "
                + quote(stored.selector()) + "; it cannot be shared with a consumer for topic '" + r.topicName()
                + "' with selector " + quote(r.selector())
                + " (use the same topic and selector, or another subscription name)");
    }

    /** A durable subscription could not be made over a store shared with other brokers: the database failed. */
    static BrokerException notStored(SubscriptionEntry.Key key, Throwable e) {
        Throwable cause = Failures.cause(e);
        return new BrokerException(ErrorCode.STORE_FAILURE, describe(key) + " could not be stored in the database the"
                + " brokers share (" + cause.getMessage() + "); open the consumer again");
    }

    static BrokerException removedElsewhere(SubscriptionEntry.Key key) {
        return new SubscriptionRemovedElsewhere(describe(key) + " was unsubscribed through another broker as this"
                + " consumer opened; open the consumer again to make it anew");
    }

    static String describe(SubscriptionEntry.Key key) {
        return (key.durable() ? "durable subscription '" : "shared subscription '") + PeerText.of(key.name()) + "'"
                + (key.clientId() == null ? "" : " of client ID '" + PeerText.of(key.clientId()) + "'");
    }

    /** A selector (or other optional term) as error messages show it. */
    static String quote(String s) {
        return s == null ? "(none)" : "'" + PeerText.escaped(s) + "'";
    }
}
