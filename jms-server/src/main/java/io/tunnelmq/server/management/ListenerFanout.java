package io.tunnelmq.server.management;

import io.tunnelmq.server.destination.DestinationListener;
import io.tunnelmq.server.destination.NamedSubscription;
import io.tunnelmq.server.destination.TopicSubscription;
import io.tunnelmq.server.queue.PeekLockQueue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Hands each event of the destination registry to every listener added (the registry takes one). Thread-safe. */
final class ListenerFanout implements DestinationListener {
    private final List<DestinationListener> listeners = new CopyOnWriteArrayList<>();

    void add(DestinationListener listener) {
        listeners.add(listener);
    }

    @Override
    public void queueCreated(PeekLockQueue queue, boolean temporary) {
        listeners.forEach(l -> l.queueCreated(queue, temporary));
    }

    @Override
    public void queueRemoved(PeekLockQueue queue, boolean temporary) {
        listeners.forEach(l -> l.queueRemoved(queue, temporary));
    }

    @Override
    public void namedSubscriptionCreated(NamedSubscription subscription) {
        listeners.forEach(l -> l.namedSubscriptionCreated(subscription));
    }

    @Override
    public void namedSubscriptionRemoved(NamedSubscription subscription) {
        listeners.forEach(l -> l.namedSubscriptionRemoved(subscription));
    }

    @Override
    public void subscriptionEnded(TopicSubscription subscription, boolean named) {
        listeners.forEach(l -> l.subscriptionEnded(subscription, named));
    }
}
