package io.tunnelmq.server.store;

import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A store whose queues several brokers share ({@code store=postgresql}): every message a queue holds waits in the
 * store until a broker claims it for its own consumers. A claim is a lease on the message held by that broker until
 * it completes the message ({@link StoreOp.RemoveMessage}), hands it back ({@link #release}) or dies: brokers keep a
 * heartbeat in the store, and once a broker's heartbeat goes stale the others clear its leases, so its messages are
 * claimable again with the delivery count they had (a message its application was handed had its count raised
 * then, lazily, so it comes back flagged redelivered).
 *
 * <p>Every broker over the store issues its store ids from {@link #ids()}, so ids never collide between brokers.
 * Nothing here blocks the caller: claims and releases run on the store's threads.
 */
public interface SharedQueues {

    /** This broker's id among the brokers over the store: its leases carry it. */
    String brokerId();

    /** The store id issuer every broker over this store shares (ids taken in blocks the store hands out). */
    StoreIds ids();

    /**
     * Claims up to {@code max} messages of {@code queue} that no broker holds and whose delivery time has come (by
     * {@code nowMillis}), in delivery order (higher priority first, then in the order they were first stored), leased
     * to this broker.
     *
     * @return completes on {@code executor} with what was claimed (possibly nothing), or exceptionally with a
     *         {@link StoreException} naming the store (nothing claimed then)
     */
    CompletableFuture<Claims> claim(StoredQueue queue, int max, long nowMillis, Executor executor);

    /**
     * Claims up to {@code max} messages of queues (not subscriptions) whose expiration passed (by {@code nowMillis})
     * and that no broker holds: nobody consumes their queues, so no claim would ever take them. The broker removes
     * them as its queues remove expired messages (dropped, or moved to the expiry queue).
     *
     * @return completes on {@code executor}
     */
    CompletableFuture<List<Expired>> claimExpired(int max, long nowMillis, Executor executor);

    /** An expired message claimed from a queue. */
    record Expired(String queueName, Claimed claimed) {
    }

    /**
     * Hands claimed messages back: each lease cleared, with the delivery count its next delivery carries and its
     * delivery time (0: now), and the other brokers are woken for the queue. Ids this broker does not hold are
     * ignored. One that waited here since before the queue's last purge ({@link Released#waitedMicros}), which passed
     * it by as leased here, is removed instead, as the purge would have taken it.
     *
     * @return completes with how many were removed so
     */
    CompletableFuture<Integer> release(StoredQueue queue, List<Released> released);

    /**
     * Reads a run of the queue's (or a stored subscription's, for an operator) messages in delivery order as a queue
     * browser sees them: claimed by a broker or not, but not those waiting for their delivery time (by
     * {@code nowMillis}) and not expired ones; nothing is claimed.
     * Each message comes with its position in delivery order ({@link BrowseRows#keys}): higher priority first (priority
     * 9 lowest keys), then first stored; positions only grow along the queue.
     *
     * @param fromKey the first position wanted (0: the head)
     * @return completes on {@code executor}, or exceptionally with a {@link StoreException}
     */
    CompletableFuture<BrowseRows> browse(StoredQueue queue, long fromKey, int max, long nowMillis, Executor executor);

    /**
     * The consumers of {@code queue} here changed: the messages this broker declined there ({@link Released#declined})
     * may be selected now, and its claims take them again.
     */
    CompletableFuture<Void> undecline(StoredQueue queue);

    /**
     * A consumer that failed over names messages of {@code queue} its application was handed through another broker
     * ({@code JMSMessageID}s): those the store holds come again flagged redelivered (their delivery count at least 2),
     * whichever broker holds them.
     */
    CompletableFuture<Void> seenElsewhere(StoredQueue queue, List<String> messageIds);

    /**
     * Tells {@code wake} (one listener; a later call replaces it) when messages of a queue may have become claimable:
     * another broker stored some, released some or died holding some. {@code null} means any queue may have (the
     * store lost its wake-ups for a while and cannot say which). Called on the store's own thread; must not block.
     */
    void listen(Consumer<StoredQueue> wake);

    /**
     * What the store holds of a producer of the duplicate window (see {@link StoreOp.AddProducer}), whichever broker
     * stored it: a producer that fails over to this broker resends what it is not sure of, and this broker must know
     * what the other one stored.
     *
     * @return completes with the producer's record of the highest sequence, or null if the store has none
     */
    CompletableFuture<StoredProducer> producer(UUID producerId);

    /** A producer's record in the store. */
    record StoredProducer(long recordId, ProducerStamp last, long storedAtMillis) {
    }

    /**
     * Tells {@code changed} (one listener; a later call replaces it) the store id of a durable subscription another
     * broker made or removed; look it up with {@link #subscription}. 0 says any may have changed (the store was not
     * listening for a while, at the start too): look them all up ({@link #durableSubscriptions}). Called on the
     * store's own thread; must not block.
     */
    void listenSubscriptions(LongConsumer changed);

    /** Every durable subscription the store holds, by store id. */
    CompletableFuture<Map<Long, DurableSubscription>> durableSubscriptions();

    /** The durable subscription of that store id, or null when the store has none (removed, or not durable). */
    CompletableFuture<DurableSubscription> subscription(long id);

    /** The named subscriptions every broker's consumers hold in the store. */
    SharedSubscriptions subscriptions();

    /** The JMS client IDs of every broker's connections over the store: one connection at a time holds each. */
    SharedClientIds clientIds();

    /**
     * Tells the other brokers that consumers of {@code queue} here starve: nothing here or in the store for them,
     * while another broker's consumers may hold prefetched messages they have not looked at. Those brokers revoke
     * some and hand them back ({@link #listenHungry}): the revocable-prefetch rule across brokers. Fire and forget.
     */
    void hungry(StoredQueue queue);

    /**
     * Tells {@code hungry} (one listener; a later call replaces it) when another broker's consumers of a queue starve
     * ({@link #hungry}). Called on the store's own thread; must not block.
     */
    void listenHungry(Consumer<StoredQueue> hungry);

    /**
     * An operator's purge of {@code queue} (or a stored subscription) across the brokers: removes the messages of it
     * stored before the purge that no broker holds (waiting or scheduled), and tells every other broker to remove the
     * waiting messages it claimed of those ({@link #listenPurged}, {@link #heldBefore}); this broker removes its own
     * as it answers. Messages locked to consumers stay, as a purge on one broker leaves them; messages stored after
     * it stay too.
     *
     * @return completes with the purge's position and how many messages it removed from the store, or exceptionally
     *         with a {@link StoreException} (nothing removed, nobody told)
     */
    CompletableFuture<PurgeResult> purge(StoredQueue queue);

    /** What {@link #purge} did: what was stored before position {@code before} went; {@code removed} of it here. */
    record PurgeResult(long before, int removed) {
    }

    /**
     * Tells {@code purged} (one listener; a later call replaces it) each purge of a queue by another broker
     * ({@link #purge}). A purge made while this broker was not listening (its wake-ups cut) is told when it listens
     * again, its own among them. Called on the store's own thread; must not block.
     */
    void listenPurged(Consumer<Purged> purged);

    /** A purge of {@code queue}: what was stored before position {@code before} went. */
    record Purged(StoredQueue queue, long before) {
    }

    /**
     * The store ids of the messages of {@code queue} this broker holds that were stored before {@code before}, the
     * position of a {@link #purge}, with the claims that leased them here, and when that purge was taken on this JVM's
     * clock. A purge newer than {@code before} replaced it: no ids then (the newer one is told as well).
     */
    CompletableFuture<HeldBefore> heldBefore(StoredQueue queue, long before);

    /**
     * What this broker holds of a purged queue: the store ids of its messages stored before the purge, the claim that
     * leased each one here ({@link Claimed#claimId}, index for index), and {@code purgeNanos}, on the
     * {@link System#nanoTime} clock of this JVM, no later than the purge was taken (the database's clock is read
     * against it). A message waiting since before {@code purgeNanos} was waiting at the purge; one that became waiting
     * later (locked then, abandoned since) stays, as on one broker. A message whose claim has not reached the broker
     * yet (on its way, or its answer lost and read back later) was waiting at the purge too.
     */
    record HeldBefore(long[] storeIds, long[] claimIds, long purgeNanos) {
        public HeldBefore {
            if (storeIds.length != claimIds.length) {
                throw new IllegalArgumentException("a claim for each held message: " + storeIds.length + " ids, "
                        + claimIds.length + " claims");
            }
        }

        /** Nothing held. */
        public static HeldBefore none() {
            return new HeldBefore(new long[0], new long[0], System.nanoTime());
        }

        /** The same messages, with the purge taken no earlier than {@code nanos} (a moment known to precede it). */
        public HeldBefore notBefore(long nanos) {
            return new HeldBefore(storeIds, claimIds, Math.max(purgeNanos, nanos));
        }
    }

    /**
     * Tells {@code fenced} (once) when this broker must stop serving with this store: the other brokers took it for
     * dead, or are about to (its heartbeat has not reached the store for nearly as long as they wait). What it claimed
     * is theirs to hand on, so it must not deliver it any more; the store no longer beats, and a broker serves again
     * only with a new store (a new broker id). Called on the store's own thread; must not block.
     */
    void listenFenced(Runnable fenced);

    /**
     * Whether this broker may deliver what it claimed, now: false once fenced ({@link #listenFenced}), and as soon as
     * its heartbeat has been silent so long that it is about to be, so a broker that was paused delivers nothing before
     * its fencing runs. Asked before every dispatch of a shared queue: cheap, any thread.
     */
    boolean serving();

    /**
     * One claimed message, the delivery count its next delivery carries, for a topic's copy the publishing connection
     * (null if unknown), for no-local subscriptions, and the claim that leased it to this broker (a purge names what a
     * broker held by it: {@link HeldBefore}).
     */
    record Claimed(long id, WireMessage message, int deliveryCount, String publisher, long claimId) {
        public Claimed {
            Objects.requireNonNull(message, "message");
        }

        /** A claimed message of a queue outside any claim a purge names (an expired one). */
        public Claimed(long id, WireMessage message, int deliveryCount) {
            this(id, message, deliveryCount, null, 0);
        }
    }

    /**
     * What a claim got.
     *
     * @param claimed        in delivery order
     * @param nextDueMillis  when fewer than asked were claimed: the earliest delivery time of the queue's unclaimed
     *                       messages that are not due yet (0: none waits for its delivery time); otherwise 0
     */
    record Claims(List<Claimed> claimed, long nextDueMillis) {
        public Claims {
            claimed = List.copyOf(claimed);
        }
    }

    /**
     * What {@link #browse} read.
     *
     * @param messages in delivery order
     * @param keys     each message's position in delivery order
     * @param mine     whether this broker holds the message's lease (claimed it): a browser through this broker
     *                 leaves out one it no longer holds, completed and about to be deleted
     * @param deliveryCounts the delivery count each one's next delivery carries, as the store has it (a broker holding
     *                 one raises it there lazily)
     * @param publishers the connection that published each, for a topic's copies (noLocal); null for a queue's
     * @param end      whether the queue has nothing after the last one
     */
    record BrowseRows(List<WireMessage> messages, long[] keys, boolean[] mine, int[] deliveryCounts,
                      String[] publishers, boolean end) {
        public BrowseRows {
            messages = List.copyOf(messages);
            if (keys.length != messages.size() || mine.length != messages.size()
                    || deliveryCounts.length != messages.size() || publishers.length != messages.size()) {
                throw new IllegalArgumentException(keys.length + " keys, " + mine.length + " lease marks, "
                        + deliveryCounts.length + " delivery counts and " + publishers.length + " publishers for "
                        + messages.size() + " messages");
            }
        }
    }

    /**
     * The cluster as the store sees it, for monitoring (a broker's own queue figures count what it claimed): the
     * brokers alive, and every queue's and stored subscription's messages (claimed or not) and how many of them brokers
     * hold.
     */
    CompletableFuture<Backlog> backlog();

    /**
     * See {@link #backlog}.
     *
     * @param queues        by queue name: the queues the store holds messages of
     * @param subscriptions by subscription store id: the subscriptions the store holds messages of
     */
    record Backlog(int brokers, Map<String, QueueBacklog> queues, Map<Long, QueueBacklog> subscriptions) {
        /** Not read yet. */
        public static final Backlog NONE = new Backlog(0, Map.of(), Map.of());

        public Backlog {
            queues = Map.copyOf(queues);
            subscriptions = Map.copyOf(subscriptions);
        }

        /** What the store holds of {@code key}; {@link QueueBacklog#NONE} when nothing. */
        public QueueBacklog of(StoredQueue key) {
            QueueBacklog backlog = key.isSubscription() ? subscriptions.get(key.subscriptionId())
                    : queues.get(key.queueName());
            return backlog == null ? QueueBacklog.NONE : backlog;
        }
    }

    /** A queue's messages in the store, and how many of them brokers hold (claimed for their consumers). */
    record QueueBacklog(long messages, long claimed) {
        /** Nothing in the store. */
        public static final QueueBacklog NONE = new QueueBacklog(0, 0);
    }

    /**
     * A claimed message handed back: its next delivery's count and its delivery time (0: at once), whether this
     * broker declines it (none of its consumers selects it, so its claims pass it by until {@link #undecline}), and
     * how long it had waited on this broker when it was handed back (0: not known, or it did not wait for consumers
     * there: an operator's claim). A purge of its queue taken since it began to wait passed it by as held here while it was
     * waiting: the hand-back removes it instead, as the purge would have ({@link #purge}).
     */
    record Released(long id, int deliveryCount, long deliverAtMillis, boolean declined, long waitedMicros) {
        /** Handed back for any broker, this one included, by what did not wait for it (an operator, a test). */
        public Released(long id, int deliveryCount, long deliverAtMillis) {
            this(id, deliveryCount, deliverAtMillis, false, 0);
        }

        /** Handed back, declined or not, by what did not wait for it (an operator's claim). */
        public Released(long id, int deliveryCount, long deliverAtMillis, boolean declined) {
            this(id, deliveryCount, deliverAtMillis, declined, 0);
        }
    }
}
