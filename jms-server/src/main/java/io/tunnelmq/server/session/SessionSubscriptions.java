package io.tunnelmq.server.session;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.server.destination.BrokerException;
import io.tunnelmq.server.destination.SubscriptionLease;
import io.tunnelmq.server.destination.Subscriptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The named subscriptions (durable, shared) a session's consumers hold: taken when a consumer opens, given back
 * when it closes or the session ends. Confined to the connection's event loop.
 */
final class SessionSubscriptions {
    private final Subscriptions subscriptions;
    private final String clientId;
    private final String connectionId;
    /** By consumer id; created with the first lease (most sessions hold none). */
    private Map<Integer, SubscriptionLease> leases;

    /** @param clientId the connection's JMS client ID, or null */
    SessionSubscriptions(Subscriptions subscriptions, String clientId, String connectionId) {
        this.subscriptions = subscriptions;
        this.clientId = clientId;
        this.connectionId = connectionId;
    }

    /** Whether the request names a subscription (durable or shared) rather than asking for a private one. */
    static boolean isNamed(CreateConsumer request) {
        return request.durable() || request.shared();
    }

    /**
     * Attaches the consumer to its named subscription, creating the subscription if needed; the consumer starts once
     * the lease's subscription is stored ({@link SubscriptionLease#stored()}).
     */
    SubscriptionLease open(CreateConsumer request) {
        if (request.subscriptionName() == null) {
            throw new BrokerException(ErrorCode.INVALID_SUBSCRIPTION, (request.durable() ? "a durable" : "a shared")
                    + " consumer needs a subscription name");
        }
        checkName(request.subscriptionName());
        if (request.destination().kind().isQueue()) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "subscriptions are made on topics, not on "
                    + request.destination());
        }
        if (request.durable() && request.destination().kind().isTemporary()) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "a durable subscription cannot be made on "
                    + request.destination() + ": a temporary topic ends with its connection");
        }
        SubscriptionLease lease = subscriptions.attach(new Subscriptions.Request(request.destination().name(),
                clientId, request.subscriptionName(), request.durable(), request.shared(), request.selector(),
                request.noLocal(), connectionId));
        if (leases == null) {
            leases = new HashMap<>(2);
        }
        leases.put(request.consumerId(), lease);
        return lease;
    }

    /** The consumer closed (or was never started): give its subscription back. */
    CompletableFuture<Void> closed(int consumerId) {
        SubscriptionLease lease = leases == null ? null : leases.remove(consumerId);
        return lease == null ? CompletableFuture.completedFuture(null) : subscriptions.detach(lease);
    }

    /** @return completes once every subscription given back is back in a shared store ({@link #closed}) */
    CompletableFuture<Void> closeAll() {
        if (leases == null) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> given = new ArrayList<>();
        for (Integer consumerId : new ArrayList<>(leases.keySet())) {
            given.add(closed(consumerId));
        }
        return CompletableFuture.allOf(given.toArray(CompletableFuture[]::new));
    }

    /** Deletes a durable subscription of this connection's client ID: see {@link Subscriptions#unsubscribe}. */
    CompletableFuture<Void> unsubscribe(String name) {
        checkName(name);
        return subscriptions.unsubscribe(clientId, name);
    }

    private static void checkName(String name) {
        String problem = Protocol.nameProblem("subscription name", name);
        if (problem != null) {
            throw new BrokerException(ErrorCode.INVALID_SUBSCRIPTION, problem);
        }
    }
}
