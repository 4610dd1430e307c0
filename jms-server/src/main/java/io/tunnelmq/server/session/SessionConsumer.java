package io.tunnelmq.server.session;

import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Revoke;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.destination.TopicSubscription;
import io.tunnelmq.server.queue.Delivery;
import io.tunnelmq.server.queue.LockOwner;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.queue.QueueConsumer;
import io.tunnelmq.server.selector.Selector;

import java.util.concurrent.CompletableFuture;

/**
 * A client consumer: attached to a queue (or to its topic subscription's queue), it turns the queue's
 * deliveries into {@link Deliver} frames on its session's channel.
 */
final class SessionConsumer implements QueueConsumer {
    private final int channel;
    private final int consumerId;
    private final PeekLockQueue queue;
    private CompletableFuture<Void> stored = CompletableFuture.completedFuture(null);
    private final TopicSubscription subscription;
    private final SessionLocks locks;
    private final long lockDurationMillis;
    private final FrameSink sink;
    /** Null for all messages (and for topic subscriptions, which filter when a message is published). */
    private Selector selector;
    /** Event-loop confined. */
    private boolean closed;

    /** @param subscription the topic subscription whose queue this is, or null for a queue consumer */
    SessionConsumer(int channel, int consumerId, PeekLockQueue queue, TopicSubscription subscription,
                    SessionLocks locks, long lockDurationMillis, FrameSink sink) {
        this.channel = channel;
        this.consumerId = consumerId;
        this.queue = queue;
        this.subscription = subscription;
        this.locks = locks;
        this.lockDurationMillis = lockDurationMillis;
        this.sink = sink;
    }

    /**
     * What must be in the store before it starts (its subscription, in a store shared with other brokers; the messages
     * it saw before it reconnected, flagged): {@link #stored()} waits for this write too. Set before it is attached.
     */
    SessionConsumer stored(CompletableFuture<Void> write) {
        this.stored = stored.isDone() && !stored.isCompletedExceptionally() ? write
                : stored.thenCombine(write, (a, b) -> null);
        return this;
    }

    CompletableFuture<Void> stored() {
        return stored;
    }

    /** Takes only the messages the selector selects; set before the consumer is attached to its queue. */
    SessionConsumer selecting(Selector messageSelector) {
        this.selector = messageSelector;
        return this;
    }

    @Override
    public Selector selector() {
        return selector;
    }

    int consumerId() {
        return consumerId;
    }

    PeekLockQueue queue() {
        return queue;
    }

    @Override
    public LockOwner owner() {
        return locks;
    }

    @Override
    public long lockDurationMillis() {
        return lockDurationMillis;
    }

    @Override
    public void deliver(Delivery delivery) {
        sink.execute(() -> send(delivery));
    }

    @Override
    public void revoke(long[] lockTokens) {
        sink.execute(() -> {
            if (!closed) {
                sink.send(new Revoke(channel, consumerId, lockTokens));
            }
        });
    }

    @Override
    public boolean isWritable() {
        return sink.isWritable();
    }

    private void send(Delivery delivery) {
        if (closed) {
            // locked just before the consumer closed: the client never saw it, so its count must not grow
            queue.settle(locks, delivery.lockToken(), SettleOutcome.RELEASE, null);
            return;
        }
        sink.send(new Deliver(channel, consumerId, delivery.lockToken(), delivery.deliveryCount(),
                delivery.lockedUntil(), delivery.message()));
    }

    /** Stops deliveries; a topic subscription ends. Locks already taken stay with the session. */
    void close(DestinationRegistry destinations) {
        closed = true;
        queue.consumers().remove(this);
        if (subscription != null) {
            destinations.unsubscribe(subscription);
        }
    }

    @Override
    public String toString() {
        return "consumer " + consumerId + " on channel " + channel + " (" + queue.name() + ")";
    }
}
