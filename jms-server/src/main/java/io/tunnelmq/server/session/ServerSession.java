package io.tunnelmq.server.session;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.Credit;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.destination.BrokerException;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.destination.DuplicateWindow;
import io.tunnelmq.server.destination.Publication;
import io.tunnelmq.server.destination.SubscriptionLease;
import io.tunnelmq.server.destination.SubscriptionRemovedElsewhere;
import io.tunnelmq.server.destination.Subscriptions;
import io.tunnelmq.server.destination.TopicSubscription;
import io.tunnelmq.server.queue.OwnerGone;
import io.tunnelmq.server.queue.QueueConsumers;
import io.tunnelmq.server.selector.Selector;
import io.tunnelmq.server.selector.SelectorException;
import io.tunnelmq.server.store.MessageStore;
import io.tunnelmq.server.store.StoreOp;
import io.tunnelmq.server.store.StoredQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One JMS session on one channel: its consumers, the locks it holds and, if transacted, its open transaction.
 * Confined to the connection's event loop. Refusals are thrown as {@link BrokerException}; the connection
 * turns them into error frames. Sends and commits that must be stored first take effect, and are answered, once their
 * store write is durable and in the order the client sent them ({@link PendingWrites}).
 */
final class ServerSession {
    private static final Logger log = LoggerFactory.getLogger(ServerSession.class);

    private final int channel;
    private final String connectionId;
    private final long lockDurationMillis;
    private final BrokerContext broker;
    private final FrameSink sink;
    private final SessionLocks locks;
    /** Null unless the session is transacted. */
    private final SessionTransaction transaction;
    private final IntKeyed<SessionConsumer> consumers = new IntKeyed<>();
    private final SessionSubscriptions named;
    private final PendingWrites writes;
    private boolean closed;
    /**
     * The answer to CloseSession went out (the client forgets the channel on it, and may open another session on the
     * same number): answers of writes that complete after it are not sent. None should: it waits for them.
     */
    private boolean answeredClose;

    ServerSession(int channel, boolean transacted, String connectionId, long lockDurationMillis, BrokerContext broker,
                  FrameSink sink) {
        this(channel, transacted, connectionId, null, lockDurationMillis, broker, sink);
    }

    /** @param clientId the connection's JMS client ID, or null; names durable subscriptions */
    ServerSession(int channel, boolean transacted, String connectionId, String clientId, long lockDurationMillis,
                  BrokerContext broker, FrameSink sink) {
        this.named = new SessionSubscriptions(broker.destinations().subscriptions(), clientId, connectionId);
        this.channel = channel;
        this.connectionId = connectionId;
        this.lockDurationMillis = lockDurationMillis;
        this.broker = broker;
        this.sink = sink;
        this.locks = new SessionLocks(connectionId, channel);
        this.transaction = transacted ? new SessionTransaction(broker.memory()) : null;
        this.writes = new PendingWrites(sink, broker.memory());
    }

    /**
     * Validates a CreateConsumer and sets the consumer up (a topic subscription starts collecting messages),
     * without delivering yet: {@link #openConsumer}'s caller answers Ok first, then calls {@link #start}.
     */
    private SessionConsumer createConsumer(CreateConsumer request) {
        if (consumers.containsKey(request.consumerId())) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "consumer id " + request.consumerId()
                    + " is already open on session channel " + channel + "; choose an unused consumer id");
        }
        if (request.seenMessageIds().size() > Protocol.MAX_SEEN_MESSAGE_IDS) {
            throw new BrokerException(ErrorCode.RESOURCE_EXHAUSTED, "a consumer may name at most "
                    + Protocol.MAX_SEEN_MESSAGE_IDS + " messages as seen on an earlier connection, this one named "
                    + request.seenMessageIds().size() + "; send only the newest ones");
        }
        WireDestination destination = request.destination();
        broker.destinations().checkSupported(destination, "consume from");
        if (destination.kind().isTemporary()) {
            broker.destinations().temporaries().checkConsumer(destination, connectionId);
        }
        Selector selector = compileSelector(request.selector());
        DestinationRegistry destinations = broker.destinations();
        SessionConsumer consumer;
        // where other brokers sharing the store keep what it consumes, once known; null: nowhere
        CompletableFuture<StoredQueue> stored = null;
        if (SessionSubscriptions.isNamed(request)) {
            // a named subscription outlives this consumer: the consumer only gives its lease back on close
            SubscriptionLease lease = named.open(request);
            consumer = new SessionConsumer(channel, request.consumerId(), lease.queue(), null, locks,
                    lockDurationMillis, sink).stored(lease.stored());
            stored = lease.stored().thenApply(v -> lease.storedQueue());
        } else if (destination.kind().isQueue()) {
            consumer = new SessionConsumer(channel, request.consumerId(), destinations.queue(destination.name()),
                    null, locks, lockDurationMillis, sink).selecting(selector);
            stored = CompletableFuture.completedFuture(StoredQueue.queue(destination.name()));
        } else {
            TopicSubscription subscription = destinations.subscribe(destination.name(), connectionId,
                    request.noLocal(), selector);
            consumer = new SessionConsumer(channel, request.consumerId(), subscription.queue(), subscription, locks,
                    lockDurationMillis, sink).stored(destinations.whenStored(subscription));
        }
        ReconnectedConsumer.countSeen(consumer, stored, request.seenMessageIds(), destinations.storage().shared(),
                connectionId);
        consumers.put(request.consumerId(), consumer);
        log.debug("connection {} channel {}: opened {}", connectionId, channel, consumer);
        return consumer;
    }

    /**
     * Opens a consumer ({@link #createConsumer}) and runs {@code ready} with it on the event loop once its subscription
     * is stored (at once for most: see {@link DestinationRegistry#whenStored}) and the session's earlier sends took
     * effect, or closes it and tells {@code failed} why not. A durable subscription unsubscribed through another broker
     * as the consumer opened (this broker had not heard yet) is made anew for it, as if it had opened a moment later.
     * Nothing runs once the session or the consumer closed (a client that gave up waiting for the answer closes the
     * consumer, which must then never be attached).
     *
     * @throws BrokerException when the consumer is refused at once
     */
    void openConsumer(CreateConsumer request, Consumer<SessionConsumer> ready, Consumer<BrokerException> failed) {
        whenStored(createConsumer(request), request, true, ready, failed);
    }

    private void whenStored(SessionConsumer consumer, CreateConsumer request, boolean firstTry,
                            Consumer<SessionConsumer> ready, Consumer<BrokerException> failed) {
        writes.submit(consumer.stored(), 0, () -> {
            if (isOpen(consumer)) {
                ready.accept(consumer);
            }
        }, e -> {
            if (!isOpen(consumer)) {
                return;
            }
            closeConsumer(consumer.consumerId()); // never started: it goes with its subscription
            if (firstTry && e instanceof SubscriptionRemovedElsewhere) {
                log.debug("connection {} channel {}: {}; made anew", connectionId, channel, e.getMessage());
                reopen(request, ready, failed);
                return;
            }
            failed.accept(e instanceof BrokerException refused ? refused // e.g. another broker's terms differ
                    : new BrokerException(ErrorCode.STORE_FAILURE, "the subscription of " + consumer
                    + " could not be stored, so messages published through other brokers would miss it: "
                    + e.getMessage()));
        });
    }

    private void reopen(CreateConsumer request, Consumer<SessionConsumer> ready, Consumer<BrokerException> failed) {
        SessionConsumer again;
        try {
            again = createConsumer(request);
        } catch (BrokerException refused) {
            failed.accept(refused);
            return;
        }
        whenStored(again, request, false, ready, failed);
    }

    private boolean isOpen(SessionConsumer consumer) {
        return !closed && consumers.get(consumer.consumerId()) == consumer;
    }

    /** Attaches a consumer made by {@link #createConsumer} to its queue: deliveries begin. */
    void start(SessionConsumer consumer, int credit, long creditBytes) {
        consumer.queue().consumers().add(consumer, credit, creditBytes);
    }

    /** Number of open consumers. */
    int consumerCount() {
        return consumers.size();
    }

    /** The connection can take writes again: the consumers' queues may deliver to them. */
    void resumeConsumers() {
        consumers.forEach(consumer -> consumer.queue().consumers().resume(consumer));
    }

    /** @return completes once its named subscription is given back (see {@link Subscriptions#detach}) */
    CompletableFuture<Void> closeConsumer(int consumerId) {
        SessionConsumer consumer = consumers.remove(consumerId);
        if (consumer == null) {
            throw unknownConsumer(consumerId);
        }
        consumer.close(broker.destinations());
        log.debug("connection {} channel {}: closed {}", connectionId, channel, consumer);
        return named.closed(consumerId);
    }

    /**
     * A Credit: SET makes the consumer's credit exactly the frame's (0 stops deliveries), otherwise it grows by it;
     * WAITING alone only says the application waits. Any of them ends a decline.
     */
    void credit(Credit credit) {
        SessionConsumer consumer = consumers.get(credit.consumerId());
        QueueConsumers attached = consumer == null ? null : consumer.queue().consumers();
        boolean known;
        if (attached == null) {
            known = false;
        } else if (credit.isSet()) {
            known = attached.setCredit(consumer, credit.messages(), credit.bytes());
        } else if (credit.messages() > 0 || credit.bytes() > 0) {
            known = attached.addCredit(consumer, credit.messages(), credit.bytes());
        } else {
            known = true; // WAITING alone
        }
        if (known && credit.isWaiting()) {
            known = attached.waiting(consumer);
        }
        if (!known) {
            throw unknownConsumer(credit.consumerId());
        }
    }

    /**
     * Publishes a message (staged until commit in a transacted session). {@code answer} gets null once it is
     * accepted — for a persistent message on a durable destination once it is stored — or the refusal; it runs on
     * the event loop, and not at all if the session closed meanwhile.
     *
     * <p>A persistent message with a producer stamp outside a transaction goes through the broker's
     * {@link DuplicateWindow}: a resend of one already stored is answered once its first copy is stored, and neither
     * stored nor delivered again. In a transaction the stamp is ignored: a commit is atomic, and a resent commit is
     * not recognised (out of scope; the client does not stamp transacted sends).
     *
     * @param stamp the producer's id and sequence, or null (an older client, or nothing to de-duplicate)
     * @throws BrokerException when the message is refused at once (a temporary destination that is gone)
     */
    void send(WireMessage message, ProducerStamp stamp, Consumer<BrokerException> answer) {
        if (transaction != null) {
            broker.destinations().checkSupported(message.destination(), "send to");
            transaction.stage(message);
            answer.accept(null);
            return;
        }
        Publication publication = broker.destinations().prepare(message, connectionId);
        Consumer<Throwable> failed = e -> reply(answer, new BrokerException(ErrorCode.STORE_FAILURE, "persistent"
                + " message " + message.messageId() + " to " + message.destination() + " was not accepted: "
                + e.getMessage()));
        if (stamp == null || !message.persistent()) {
            writes.submit(write(publication.storeOps(), message.persistent()), message.sizeEstimate(), () -> {
                publication.deliver();
                reply(answer, null);
            }, failed);
            return;
        }
        DuplicateWindow.Outcome outcome = broker.destinations().duplicates().send(stamp, publication.storeOps(),
                ops -> write(ops, true));
        if (outcome.resend()) {
            log.debug("connection {} channel {}: {} of producer {} is a resend of a stored message; not stored again",
                    connectionId, channel, stamp.sequence(), stamp.producerId());
            writes.submit(outcome.write(), 0, () -> reply(answer, null), failed);
            return;
        }
        writes.submit(outcome.write(), message.sizeEstimate(), () -> {
            if (!outcome.resendAfterAll().getAsBoolean()) {
                publication.deliver();
            }
            reply(answer, null);
        }, failed);
    }

    /**
     * A non-persistent message is stored only over a store shared with other brokers (so they can deliver it), and
     * then without waiting for the disk: a crash may lose it, as JMS allows.
     */
    private CompletableFuture<Void> write(List<StoreOp> ops, boolean durable) {
        if (ops.isEmpty()) {
            return SessionTransaction.WRITTEN;
        }
        MessageStore store = broker.destinations().storage().persistent();
        return durable ? store.write(ops) : store.writeLazily(ops);
    }

    private void reply(Consumer<BrokerException> answer, BrokerException refusal) {
        if (!answeredClose) {
            answer.accept(refusal);
        }
    }

    /**
     * Applies a Settle to the session's locks ({@link Settling#settle}).
     *
     * @return the store write the answer waits for, or null if there is none
     */
    CompletableFuture<Void> settle(Settle request) {
        return Settling.settle(request, locks, transaction, broker.destinations().storage().persistent(), channel);
    }

    /** The new expiry of each lock of a {@code Settle(RENEW)} ({@link Settling#renew}). */
    long[] renew(Settle request) {
        return Settling.renew(request, locks);
    }

    /** Deletes a durable subscription of the connection's client ID: completes once it is gone. */
    CompletableFuture<Void> unsubscribe(String subscriptionName) {
        return named.unsubscribe(subscriptionName);
    }

    /**
     * Commits: {@code answer} gets null once the transaction's sends and completions are stored as one record and
     * applied, or the reason it was rolled back instead.
     *
     * @throws BrokerException when it is rolled back at once (a lock is gone, a destination is gone)
     */
    void commit(ProducerStamp transactionId, Consumer<BrokerException> answer) {
        requireTransacted("commit");
        transaction.commit(transactionId, locks, broker.destinations(), connectionId, writes,
                refusal -> reply(answer, refusal));
    }

    void rollback() {
        requireTransacted("roll back");
        transaction.rollback(locks);
    }

    /**
     * Closes at the client's request ({@link #close(OwnerGone)}), and runs {@code answer} once the session's earlier sends and
     * commits have taken effect and been answered (a send read before the CloseSession is answered before it, so a
     * client waiting for that send on another thread than the one closing hears how it ended, not a timeout) and its
     * named subscriptions are given back.
     */
    void close(Runnable answer) {
        writes.submit(close(OwnerGone.HEARD), 0, () -> {
            answeredClose = true;
            answer.run();
        }, e -> answer.run());
    }

    /**
     * Closes consumers first (so nothing is redelivered to them), drops the transaction, gives every lock back:
     * abandoned if the application was handed the message (or may have been: {@link OwnerGone#SILENT}), released if
     * not.
     *
     * @return completes once its named subscriptions are given back in a shared store (never fails)
     */
    CompletableFuture<Void> close(OwnerGone how) {
        closed = true;
        consumers.forEach(consumer -> consumer.close(broker.destinations()));
        consumers.clear();
        CompletableFuture<Void> given = named.closeAll();
        if (transaction != null) {
            transaction.discard();
        }
        int returned = locks.returnAll(how);
        log.debug("connection {} channel {}: session closed, {} locks given back", connectionId, channel, returned);
        return given;
    }

    private static Selector compileSelector(String text) {
        try {
            return Selector.compile(text);
        } catch (SelectorException e) {
            throw new BrokerException(ErrorCode.INVALID_SELECTOR, e.getMessage());
        }
    }

    private void requireTransacted(String action) {
        if (transaction == null) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "cannot " + action + ": the session on channel "
                    + channel + " is not transacted");
        }
    }

    private BrokerException unknownConsumer(int consumerId) {
        return new BrokerException(ErrorCode.UNKNOWN_CONSUMER, "consumer " + consumerId
                + " is not open on session channel " + channel);
    }
}
