package io.tunnelmq.server.management;

import io.tunnelmq.server.destination.DestinationListener;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.destination.TopicSubscription;
import io.tunnelmq.server.http.HttpRoute;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.queue.QueueFigures;
import io.tunnelmq.server.session.BrokerCounters;
import io.tunnelmq.server.store.MessageStore;
import io.tunnelmq.server.store.StoreFigures;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * The broker's management service: its figures and the operations an operator may run, in one place for every face
 * that shows them — Prometheus {@code /metrics} ({@link PrometheusMetrics}), JMX ({@link JmxBeans}), and later the
 * admin channel and the web console. Figures are read when asked for, from the broker's own state; nothing here adds
 * work to a send or a delivery. Thread-safe.
 */
public final class Management {
    private final DestinationRegistry destinations;
    private final MemoryTracker memory;
    private final BrokerCounters counters;
    private final IntSupplier connections;
    private final MessageStore store;
    private final RetiredTotals retired;
    private final List<DestinationListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * Follows the registry's queues from now on: make it before the broker creates any (before store recovery).
     *
     * @param connections the number of client connections open now
     */
    public Management(DestinationRegistry destinations, MemoryTracker memory, BrokerCounters counters,
                      IntSupplier connections, MessageStore store) {
        this.destinations = Objects.requireNonNull(destinations, "destinations");
        this.memory = Objects.requireNonNull(memory, "memory");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.connections = Objects.requireNonNull(connections, "connections");
        this.store = Objects.requireNonNull(store, "store");
        this.retired = new RetiredTotals(destinations::isTemporaryTopic);
        listeners.add(retired);
        destinations.listen(new Fanout());
    }

    /** Every queue and subscription series with its figures, in name order (see {@link QueueSeries}). */
    Map<QueueSeries.Key, QueueFigures> queueSeries() {
        return QueueSeries.collect(destinations, retired);
    }

    /** The figures of one queue; empty if there is no such queue (this never creates one). */
    public Optional<QueueFigures> queueFigures(String queue) {
        return destinations.findQueue(queue).map(PeekLockQueue::figures);
    }

    /**
     * Removes every message waiting on a queue (locked ones stay with their consumers).
     *
     * @return how many were removed
     * @throws IllegalArgumentException if there is no such queue
     */
    public int purge(String queue) {
        return destinations.findQueue(queue).orElseThrow(() -> noSuchQueue(queue)).purge();
    }

    /**
     * Deletes a queue with its waiting messages.
     *
     * @throws IllegalArgumentException if there is no such queue
     * @throws io.tunnelmq.server.destination.BrokerException while it has consumers, or for a temporary queue
     */
    public void deleteQueue(String queue) {
        if (!destinations.deleteQueue(queue)) {
            throw noSuchQueue(queue);
        }
    }

    /** Client connections open now. */
    public int connections() {
        return connections.getAsInt();
    }

    /** Sessions open now. */
    public long sessions() {
        return counters.sessions();
    }

    /** Event counts: send-window stalls, TLS handshakes, authentication failures. */
    public BrokerCounters counters() {
        return counters;
    }

    /** Bytes of messages held in memory now. */
    public long memoryUsed() {
        return memory.used();
    }

    /** The memory limit: producers' windows close when {@link #memoryUsed()} reaches it. */
    public long memoryLimit() {
        return memory.limit();
    }

    /** The persistent store's figures (disk, writes, fsync latency); empty figures for a store that keeps nothing. */
    public StoreFigures storeFigures() {
        return store.figures();
    }

    /** Prefetched messages revoked for starving consumers, over every queue the broker had. */
    public long revocations() {
        long sum = 0;
        for (QueueFigures f : queueSeries().values()) {
            sum += f.totals().revoked();
        }
        return sum;
    }

    /** The {@code /metrics} route (Prometheus text format) over this broker's figures and the JVM's. */
    public HttpRoute metricsRoute() {
        return new MetricsRoute(this);
    }

    /** Also tells {@code listener} when queues and subscriptions come and go. */
    void listen(DestinationListener listener) {
        listeners.add(listener);
    }

    /** Every queue of the registry now. */
    List<PeekLockQueue> queues() {
        return destinations.queues();
    }

    boolean isTemporaryQueue(String name) {
        return destinations.isTemporaryQueue(name);
    }

    private static IllegalArgumentException noSuchQueue(String queue) {
        return new IllegalArgumentException("there is no queue '" + queue + "'; check the name (queues are listed"
                + " by the broker's metrics and JMX beans)");
    }

    /** Hands each registry event to every listener. */
    private final class Fanout implements DestinationListener {
        @Override
        public void queueCreated(PeekLockQueue queue, boolean temporary) {
            listeners.forEach(l -> l.queueCreated(queue, temporary));
        }

        @Override
        public void queueRemoved(PeekLockQueue queue, boolean temporary) {
            listeners.forEach(l -> l.queueRemoved(queue, temporary));
        }

        @Override
        public void subscriptionEnded(TopicSubscription subscription, boolean named) {
            listeners.forEach(l -> l.subscriptionEnded(subscription, named));
        }
    }
}
