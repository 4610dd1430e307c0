package io.tunnelmq.server.management;

import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.cluster.ClaimFeeds;
import io.tunnelmq.server.destination.DestinationListener;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.destination.NamedSubscription;
import io.tunnelmq.server.http.HttpRoute;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.queue.QueueFigures;
import io.tunnelmq.server.session.BrokerCounters;
import io.tunnelmq.server.store.MessageStore;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoreFigures;
import io.tunnelmq.server.store.StoredQueue;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;
import java.util.function.Predicate;

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
    private final ListenerFanout listeners = new ListenerFanout();
    private final MessageOperations operations;
    private final BrokerProblems problems;
    private volatile ConnectionDirectory connectionDirectory = ConnectionDirectory.NONE;
    private volatile ToIntFunction<String> consoleSessions = user -> 0;

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
        destinations.listen(listeners);
        this.operations = new MessageOperations(destinations, () -> connectionDirectory);
        this.problems = new BrokerProblems(counters::tlsCertificateExpiry);
    }

    /** What an operator must fix while the broker runs on (a file changed but refused, a certificate near its end). */
    public BrokerProblems problems() {
        return problems;
    }

    /** Over a store shared with other brokers: the cluster's brokers and every queue's messages in the store. */
    public Optional<SharedQueues.Backlog> clusterBacklog() {
        return destinations.cluster().map(ClaimFeeds::backlog);
    }

    /** What a store shared with other brokers holds of each series, by its backlog (see {@link QueueSeries#stored}). */
    Map<QueueSeries.Key, SharedQueues.QueueBacklog> storedSeries(SharedQueues.Backlog backlog) {
        return QueueSeries.stored(destinations, backlog);
    }

    /** Every queue and subscription series with its figures, in name order (see {@link QueueSeries}). */
    Map<QueueSeries.Key, QueueFigures> queueSeries() {
        return QueueSeries.collect(destinations, retired);
    }

    /**
     * The destination whose permissions (admin, browse) cover what operators call {@code name}: the queue of that
     * name, or for a topic subscription's series ({@code topic:clientId.name}, {@code topic#connection/n}) its topic,
     * so a rule on queues named like it does not reach into a topic's subscriptions.
     */
    public WireDestination scopeOf(String name) {
        return operations.scopeOf(name);
    }

    /**
     * The figures of one queue, or a subscription by its {@link DestinationView#name()}; empty if there is no such
     * queue (this never creates one). Over a store shared with other brokers a queue only the store holds messages of
     * has figures too, all 0: nothing of it is held here.
     */
    public Optional<QueueFigures> queueFigures(String queue) {
        Optional<QueueFigures> here = destinations.findQueue(queue).map(PeekLockQueue::figures)
                .or(() -> operations.subscriptionFigures(queue));
        if (here.isPresent() || destinations.isTemporaryQueue(queue)) {
            return here;
        }
        return clusterBacklog().filter(b -> b.queues().containsKey(queue)).map(b -> QueueFigures.EMPTY);
    }

    /**
     * Over a store shared with other brokers, how many messages of a queue, or a subscription by its
     * {@link DestinationView#name()}, the store holds, claimed by a broker or not (as it last said: read again every
     * few seconds when asked); empty without a shared store, and for what the store does not keep (a subscription of a
     * temporary topic, a non-durable one of a broker without a shared store).
     */
    public Optional<Long> storedMessages(String name) {
        return operations.storedKey(name).flatMap(this::storedMessages);
    }

    /** {@link #storedMessages(String)} of a listed destination, without looking up its name again. */
    public Optional<Long> storedMessages(DestinationView view) {
        return Optional.ofNullable(view.stored()).flatMap(this::storedMessages);
    }

    private Optional<Long> storedMessages(StoredQueue key) {
        return clusterBacklog().map(b -> b.of(key).messages());
    }

    /**
     * Removes every message waiting on a queue, or a subscription by its {@link DestinationView#name()} (locked ones
     * stay with their consumers). Over a store shared with other brokers, on all of them, of the messages stored before
     * the purge: those no broker claimed leave the store, and each broker drops those it claimed and holds waiting (the
     * others told through the store). Blocks until the store has purged: an operator's thread.
     *
     * @return how many were removed here and from the store (what the other brokers drop is in their logs)
     * @throws IllegalArgumentException if there is no such queue (over a shared store: not here, and not one of its
     *                                  messages waiting in the store)
     */
    public int purge(String queue) {
        return operations.purge(queue);
    }

    /**
     * Deletes a queue with its waiting messages. Over a store shared with other brokers the queue goes from this broker
     * and its waiting messages from all of them, as with {@link #purge}: a queue is made on each broker as its clients
     * use it, and another broker's goes when it is deleted there.
     *
     * @throws IllegalArgumentException if there is no such queue
     * @throws io.tunnelmq.server.destination.BrokerException while it has consumers, or for a temporary queue
     */
    public void deleteQueue(String queue) {
        if (!destinations.deleteQueue(queue)) {
            throw noSuchQueue(queue);
        }
        destinations.cluster().ifPresent(cluster -> StoreWait.result(cluster.purge(StoredQueue.queue(queue)),
                "remove the messages of deleted queue '" + queue + "'", "they go once it does"));
    }

    /**
     * Deletes a queue (as {@link #deleteQueue}), or unsubscribes a durable subscription by its
     * {@link DestinationView#name()} ({@code topic:clientId.name}): it goes with its messages, from the store too (over
     * a store shared with other brokers from all of them). Refused, as an application's unsubscribe is, while it has
     * consumers (through any broker) or unacknowledged messages.
     *
     * @throws IllegalArgumentException if there is no such queue or subscription, or it is a shared non-durable
     *                                  subscription (it ends with its last consumer)
     * @throws io.tunnelmq.server.destination.BrokerException while it has consumers (or, a subscription,
     *                                                         unacknowledged messages), or for a temporary queue
     */
    public void delete(String name) {
        if (destinations.findQueue(name).isPresent() || destinations.isTemporaryQueue(name)) {
            deleteQueue(name);
            return;
        }
        NamedSubscription subscription = namedSubscriptions().stream().filter(s -> s.operatorName().equals(name))
                .findFirst().orElseThrow(() -> noSuchQueue(name));
        if (!subscription.durable()) {
            throw new IllegalArgumentException("'" + name + "' is a shared non-durable subscription: it ends when its"
                    + " last consumer closes, and cannot be deleted");
        }
        StoreWait.result(destinations.subscriptions().unsubscribe(subscription.clientId(), subscription.name()),
                "remove subscription '" + name + "'", "it goes once it does");
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

    /** Bytes of messages kept on disk now (stored, or paged out): what the disk limit counts. */
    public long messagesOnDisk() {
        return destinations.disk().used();
    }

    /** The disk limit (maxDiskBytes): producers' windows close when {@link #messagesOnDisk()} reaches it. */
    public long diskLimit() {
        return destinations.disk().limit();
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

    /**
     * Every queue, topic and subscription now, in name order, temporary ones included (and marked). One short visit
     * per queue under its lock.
     */
    public List<DestinationView> destinations() {
        return operations.destinations();
    }

    /**
     * The messages a queue (or subscription, by its {@link DestinationView#name()}) holds, in delivery order:
     * available, locked (with the lock's owner and time left) and scheduled ones; expired ones are left out. Nothing
     * is changed: no lock is taken, no delivery counted. Works page by page, never holding the queue's lock for more
     * than one bounded page. Over a store shared with other brokers a queue's list goes on with its messages in the
     * store that this broker does not hold (state {@code stored}: waiting there, or claimed by another broker; due and
     * unexpired ones, as a {@code QueueBrowser} sees them), even on a broker without the queue.
     *
     * @param selector a JMS message selector choosing the messages; null or blank for all
     * @param max      the most messages returned, at least 1
     * @throws IllegalArgumentException if there is no such queue, or the selector is invalid (the message says
     *                                  where)
     */
    public List<MessageView> browse(String queue, String selector, int max) {
        return operations.browse(queue, selector, max);
    }

    /**
     * Moves (or copies) the waiting messages of one queue to another, in delivery order; {@link #moveMessages} also
     * says how many were left because they were locked.
     *
     * @return how many were moved (or copied)
     * @see #moveMessages
     */
    public int move(String from, String to, String selector, boolean copy) {
        return moveMessages(from, to, selector, copy).moved();
    }

    /**
     * Moves (or copies) the waiting messages (available and scheduled) of a queue that the selector chooses to
     * another queue, created if it does not exist, in delivery order. Each arrives there as a fresh message (delivery
     * count 1, not redelivered; JMSDestination the target; its id, headers and properties kept). <b>Locked messages
     * are not moved</b>: a consumer is working on them; the result counts them. A copy leaves the originals where
     * they are.
     *
     * <p>Nothing is lost and nothing doubled: a persistent message is stored on the target and its old record removed
     * in ONE atomic store write, made durable before the call returns, and the message leaves the source queue before
     * that write, so no consumer of the source can take it meanwhile. A crash before the write leaves it on the
     * source, after it on the target. Blocks until the moved messages are stored: do not call on an event loop.
     *
     * @param selector a JMS message selector; null or blank moves every waiting message
     * @throws IllegalArgumentException if there is no queue {@code from}, {@code to} is {@code from} or a temporary
     *                                  queue, or the selector is invalid
     * @throws IllegalStateException    if the store failed to write (the messages are then on the target in memory
     *                                  only, and back on the source after a restart)
     */
    public MoveResult moveMessages(String from, String to, String selector, boolean copy) {
        return operations.move(from, to, selector, copy);
    }

    /**
     * Sends the dead letters of a dead-letter queue back to where they came from: each to the queue its
     * {@code JMS_TMQ_OriginalDestination} names (or the topic, when only a topic has that name), as a fresh message —
     * delivery count reset to 1, not flagged redelivered, the dead-letter properties ({@code JMS_TMQ_DeadLetterReason},
     * {@code JMS_TMQ_OriginalDestination}, {@code JMS_TMQ_DeliveryCount}) removed. Same guarantees as
     * {@link #moveMessages}; locked messages, and messages that name no original destination (or a temporary one),
     * stay.
     *
     * @return how many were replayed
     * @throws IllegalArgumentException if there is no such queue, or the selector is invalid
     */
    public int replayDeadLetters(String dlq, String selector) {
        return replay(dlq, selector).moved();
    }

    /** As {@link #replayDeadLetters}, also saying how many locked messages were left. */
    public MoveResult replay(String dlq, String selector) {
        return replay(dlq, selector, target -> true);
    }

    /**
     * As {@link #replay(String, String)}, for an operator who may replay only to some destinations: a dead letter
     * whose original destination {@code mayTarget} refuses stays (the property is the sender's to write: whoever
     * may send to the dead-letter queue could name any destination in it).
     */
    public MoveResult replay(String dlq, String selector, Predicate<WireDestination> mayTarget) {
        return operations.replay(dlq, selector, mayTarget);
    }

    /** The client connections open now (logged in), in id order. */
    public List<ConnectionView> openConnections() {
        return connectionDirectory.connections();
    }

    /**
     * Closes a client connection as if it were lost: its locks are given back (seen messages abandoned, unseen ones
     * released), its temporary destinations deleted, and the client is told an administrator closed it.
     *
     * @param id the connection's {@link ConnectionView#id()}
     * @return false if no open connection has that id
     */
    public boolean closeConnection(long id) {
        return connectionDirectory.close(id); // the connection logs its own end
    }

    /**
     * Closes every connection of {@code user} as {@link #closeConnection} does, and ends its web console sessions (its
     * page asks for a login again): after its password was revoked, nothing it opened stays.
     */
    public Disconnected disconnect(String user) {
        List<Long> closed = openConnections().stream().filter(v -> user.equals(v.user()) && closeConnection(v.id()))
                .map(ConnectionView::id).toList();
        return new Disconnected(closed, consoleSessions.applyAsInt(user));
    }

    /** Tells management how to end a user's web console sessions: call once the console is served. */
    public void consoleSessions(ToIntFunction<String> endSessionsOf) {
        this.consoleSessions = Objects.requireNonNull(endSessionsOf, "endSessionsOf");
    }

    /** Tells management where the broker's connections are: call once the broker listens. */
    public void connectionDirectory(ConnectionDirectory directory) {
        this.connectionDirectory = Objects.requireNonNull(directory, "directory");
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

    /** Every named (durable or shared) subscription now. */
    List<NamedSubscription> namedSubscriptions() {
        return destinations.subscriptions().named();
    }

    boolean isTemporaryQueue(String name) {
        return destinations.isTemporaryQueue(name);
    }

    static IllegalArgumentException noSuchQueue(String queue) {
        return new IllegalArgumentException("there is no queue '" + queue + "'; check the name (the admin command"
                + " 'queues' lists them)");
    }
}
