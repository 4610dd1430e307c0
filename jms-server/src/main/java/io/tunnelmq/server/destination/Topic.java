package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A topic: a publish puts a copy of the message on every current subscription's queue. */
public final class Topic {
    private final String name;
    private final List<TopicSubscription> subscriptions = new CopyOnWriteArrayList<>();

    Topic(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The subscriptions a published message enters; with none it is dropped, as JMS requires. */
    List<TopicSubscription> subscribersFor(WireMessage message, String publisherConnectionId) {
        List<TopicSubscription> wanting = new java.util.ArrayList<>(subscriptions.size());
        for (TopicSubscription subscription : subscriptions) {
            if (subscription.wants(publisherConnectionId, message)) {
                wanting.add(subscription);
            }
        }
        return wanting;
    }

    void add(TopicSubscription subscription) {
        subscriptions.add(subscription);
    }

    boolean remove(TopicSubscription subscription) {
        return subscriptions.remove(subscription);
    }

    /** Its subscriptions now, for monitoring. */
    public List<TopicSubscription> subscriptions() {
        return List.copyOf(subscriptions);
    }

    public int subscriptionCount() {
        return subscriptions.size();
    }
}
