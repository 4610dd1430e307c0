package io.tunnelmq.server.session;

import io.tunnelmq.protocol.Permission;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.destination.Subscriptions;
import io.tunnelmq.server.security.UserAccess;

import java.util.Optional;

/**
 * Which permissions an operation on a destination needs, beyond the obvious one: {@code create} too when it would
 * bring a queue or topic into being (they are created on first use) or a new durable or shared subscription. A
 * unsubscribe needs {@code create} on the subscription's topic, and so does a consumer that replaces a named
 * subscription (asks for its name with another topic, selector or noLocal, which ends it with its messages). A
 * consumer of a temporary destination needs nothing: only the connection that created it may consume from it. An
 * open broker ({@link UserAccess#enabled()} false) asks nothing, not even whether the destination exists.
 */
final class DestinationAccess {
    private final UserAccess access;
    private final DestinationRegistry destinations;

    DestinationAccess(UserAccess access, DestinationRegistry destinations) {
        this.access = access;
        this.destinations = destinations;
    }

    /** A send, or a CheckAccess: {@code permission}, and {@code create} for a send to a destination not there yet. */
    void require(Permission permission, WireDestination destination) {
        if (!access.enabled()) {
            return;
        }
        access.require(permission, destination);
        if (permission == Permission.SEND && !destination.kind().isTemporary() && !destinations.exists(destination)) {
            access.requireCreate(destination);
        }
    }

    /** A new consumer: {@code consume}, and {@code create} for a new named subscription or a new destination. */
    void requireConsumer(CreateConsumer request, String clientId) {
        WireDestination destination = request.destination();
        if (!access.enabled() || destination.kind().isTemporary()) {
            return;
        }
        access.require(Permission.CONSUME, destination);
        if (SessionSubscriptions.isNamed(request)) {
            String name = request.subscriptionName();
            Optional<Subscriptions.Terms> existing = destinations.subscriptions().terms(clientId, name,
                    request.durable());
            if (existing.isEmpty()) {
                access.requireSubscription(destination, name, request.durable());
            } else if (!existing.get().equals(new Subscriptions.Terms(destination.name(), request.selector(),
                    request.noLocal()))) {
                // it would end that subscription, with its messages, as an unsubscribe does, and make a new one
                access.requireUnsubscribe(WireDestination.topic(existing.get().topic()), name);
                access.requireSubscription(destination, name, request.durable());
            }
        } else if (!destinations.exists(destination)) {
            access.requireCreate(destination);
        }
    }

    /**
     * An unsubscribe: ending a durable subscription needs {@code create} on its topic, the permission that made it.
     * A name with no subscription passes, so the broker's own answer (there is none) stays the one the client gets.
     */
    void requireUnsubscribe(String name, String clientId) {
        if (!access.enabled()) {
            return;
        }
        destinations.subscriptions().terms(clientId, name, true)
                .ifPresent(terms -> access.requireUnsubscribe(WireDestination.topic(terms.topic()), name));
    }
}
