package io.tunnelmq.server.store;

import java.util.Objects;

/**
 * A durable topic subscription as it is stored: what identifies it and the terms it was made with.
 *
 * @param clientId the client ID it belongs to, or null (a shared durable subscription made without one)
 * @param name     the subscription name
 * @param topic    the topic's name
 * @param selector the message selector, or null
 * @param noLocal  messages published by the consuming connection are skipped
 * @param shared   a shared durable subscription
 */
public record DurableSubscription(String clientId, String name, String topic, String selector, boolean noLocal,
                                  boolean shared) {

    public DurableSubscription {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topic, "topic");
    }
}
