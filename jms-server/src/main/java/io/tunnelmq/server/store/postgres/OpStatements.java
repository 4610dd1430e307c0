package io.tunnelmq.server.store.postgres;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoreCodec;
import io.tunnelmq.server.store.StoreOp;
import io.tunnelmq.server.store.StoredQueue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns the ops of one or more batches into JDBC batches on one connection, inside the caller's transaction: one
 * prepared statement per kind of change, each executed once for the whole group. Inserts run before updates and
 * updates before deletes, which keeps what the ops mean: a store id is never reused, so an op on an id only ever
 * follows the op that added it (a message added and completed in one group is inserted, then deleted). Hand-backs
 * run last: one of a message completed in the same group finds no row, as it would have after the completion, and
 * counts only ever rise, so a count set and a hand-back give the same row in either order. The one exception runs
 * first: a hand-back's removal of what a purge passed by ({@link SharedQueues.Released#waitedMicros}), which locks the
 * purge's row (making it if no purge did yet) before the group locks any message's, so a purge (which locks its row,
 * then deletes messages) and a group never wait for each other both ways.
 */
final class OpStatements {
    private static final String[] SQL = {
        // the row a purge of a queue keeps, made (empty) for a hand-back that checks it: a first purge in progress
        // inserts it too, so the hand-back waits for that purge (or the purge for the hand-back) as for a later one.
        // In key order, so two groups never wait for each other's rows
        "INSERT INTO tmq_purges (purge_key, purge_seq, purged_at) VALUES (?, 0, '-infinity')"
                + " ON CONFLICT (purge_key) DO NOTHING",
        // a hand-back of a message that waited here since before the last purge of its queue, which passed it by as
        // leased here: it goes, as the purge would have taken it. The purge's row is read locked, so a purge in
        // progress commits first, and one that comes later waits for this group: it deletes what this group hands
        // back. Before the group locks any other message row: a purge waits for no row of it then.
        "DELETE FROM tmq_messages WHERE id = ? AND lease_owner = ? AND seq < (SELECT purge_seq FROM tmq_purges"
                + " WHERE purge_key = ? AND purged_at > clock_timestamp() - ? * interval '1 microsecond' FOR SHARE)",
        "INSERT INTO tmq_subscriptions (id, client_id, name, topic, selector, no_local, shared)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)",
        "INSERT INTO tmq_producers (id, producer_id, sequence, stored_at) VALUES (?, ?, ?, ?)",
        "INSERT INTO tmq_messages (id, queue_name, subscription_id, priority, deliver_at, expires_at, body, message_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        "INSERT INTO tmq_subscriptions (id, name, topic, no_local, shared, owner, durable)"
                + " VALUES (?, ?, ?, false, false, ?, false)",
        // a publication: one copy per subscription of the topic (those made in this group too: inserted above),
        // each with an id of the shared id sequence (a block start: never one a broker issues itself), and the
        // JMSMessageID a subscriber that failed over names when its application saw it (QueueClaims.seenElsewhere)
        "INSERT INTO tmq_messages (id, subscription_id, priority, deliver_at, expires_at, body, publisher, message_id)"
                + " SELECT nextval('tmq_id_blocks'), s.id, ?, ?, ?, ?, ?, ? FROM tmq_subscriptions s WHERE s.topic = ?",
        // made again by its connection on another broker (failover), a temporary destination passes to that one
        "INSERT INTO tmq_temporaries (name, topic, owner, connection_id) VALUES (?, ?, ?, ?) ON CONFLICT (name)"
                + " DO UPDATE SET owner = EXCLUDED.owner, connection_id = EXCLUDED.connection_id",
        "INSERT INTO tmq_messages (id, queue_name, priority, deliver_at, expires_at, body)"
                + " SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM tmq_temporaries WHERE name = ?)",
        // a lazy count may land after a later, higher one (a release, another broker's): a count never goes down
        "UPDATE tmq_messages SET delivery_count = GREATEST(delivery_count, ?) WHERE id = ?",
        "UPDATE tmq_producers SET sequence = ?, stored_at = ? WHERE id = ?",
        "DELETE FROM tmq_messages WHERE id = ?",
        "DELETE FROM tmq_subscriptions WHERE id = ?",
        "DELETE FROM tmq_producers WHERE id = ?",
        // only if it is still this broker's (not passed to another with its connection), with what waits in it
        "WITH gone AS (DELETE FROM tmq_temporaries WHERE name = ? AND owner = ? RETURNING name)"
                + " DELETE FROM tmq_messages WHERE queue_name IN (SELECT name FROM gone)",
        // a hand-back: only a lease this broker still holds (a message completed or reaped meanwhile stays as it is)
        "UPDATE tmq_messages SET lease_owner = NULL, lease_until = NULL,"
                + " delivery_count = GREATEST(delivery_count, ?), deliver_at = ?,"
                // declined: none of this broker's consumers selects it, so its claims pass it by
                + " declined_by = CASE WHEN ? THEN array_append(coalesce(declined_by, '{}'), lease_owner)"
                + " ELSE declined_by END WHERE id = ? AND lease_owner = ?",
        // a removed subscription's messages: no broker would claim them any more (a broker's recovery used to drop
        // them, but messages are no longer recovered)
        "DELETE FROM tmq_messages WHERE subscription_id = ?",
    };
    private static final int PURGE_ROW = 0;
    private static final int RELEASE_PURGED = 1;
    private static final int ADD_SUBSCRIPTION = 2;
    private static final int ADD_PRODUCER = 3;
    private static final int ADD_MESSAGE = 4;
    private static final int ADD_BROKER_SUBSCRIPTION = 5;
    private static final int PUBLISH = 6;
    private static final int ADD_TEMPORARY = 7;
    private static final int ADD_TO_TEMPORARY = 8;
    private static final int SET_COUNT = 9;
    private static final int SET_SEQUENCE = 10;
    private static final int REMOVE_MESSAGE = 11;
    private static final int REMOVE_SUBSCRIPTION = 12;
    private static final int REMOVE_PRODUCER = 13;
    private static final int REMOVE_TEMPORARY = 14;
    private static final int RELEASE = 15;
    private static final int REMOVE_SUBSCRIPTION_MESSAGES = 16;
    /** SQL state of a send to a temporary queue that is gone: class 23, a data error ({@link GroupCommitter}). */
    private static final String TEMPORARY_GONE = "23503";
    /** More queues than this woken by one transaction: one wake-up for any queue instead. */
    static final int MAX_WAKE_UPS = 256;

    private final PreparedStatement[] statements = new PreparedStatement[SQL.length];
    private final int[] counts = new int[SQL.length];
    private long bytes;
    private WireMessage lastMessage;
    private byte[] lastEncoded;
    /** The wake-up keys of the queues this group adds messages to or hands messages back to. */
    private final Set<String> woken = new LinkedHashSet<>();
    /** The purge keys whose rows the hand-backs of this group check ({@link #PURGE_ROW}), in key order. */
    private final Set<String> purgeRows = new TreeSet<>();
    /** The hand-back each {@link #RELEASE_PURGED} row belongs to, in batch order: what it removed counts there. */
    private final List<AtomicInteger> purgedCounts = new ArrayList<>();
    /** Durable subscriptions made or removed: told to the other brokers one by one (never folded into "any"). */
    private final Set<String> changedSubscriptions = new LinkedHashSet<>();
    /** The temporary queue of each send to one, in batch order. */
    private final List<String> temporaryTargets = new ArrayList<>();
    /** Topics published to: every subscription of theirs is woken. */
    private final Set<String> topics = new LinkedHashSet<>();
    /** The broker that owns the non-durable subscriptions these ops add. */
    private final UUID owner;

    OpStatements(UUID owner) {
        this.owner = owner;
    }

    /** Adds the ops of a batch to the statements' JDBC batches. */
    void add(Connection connection, List<StoreOp> ops) throws SQLException {
        for (StoreOp op : ops) {
            add(connection, op);
        }
    }

    /**
     * Adds a hand-back of messages leased to {@code owner}; {@code purged} is set to how many of them this group
     * removes instead, as a purge had passed them by.
     */
    void release(Connection connection, StoredQueue queue, List<SharedQueues.Released> released, UUID owner,
                 AtomicInteger purged) throws SQLException {
        String purgeKey = QueueKeys.key(queue);
        purged.set(0);
        for (SharedQueues.Released r : released) {
            if (r.waitedMicros() > 0) {
                purgedCounts.add(purged);
                purgeRows.add(purgeKey);
                PreparedStatement removal = statement(connection, RELEASE_PURGED);
                removal.setLong(1, r.id());
                removal.setObject(2, owner);
                removal.setString(3, purgeKey);
                removal.setLong(4, r.waitedMicros());
                removal.addBatch();
            }
            PreparedStatement s = statement(connection, RELEASE);
            s.setInt(1, r.deliveryCount());
            s.setLong(2, r.deliverAtMillis());
            s.setBoolean(3, r.declined());
            s.setLong(4, r.id());
            s.setObject(5, owner);
            s.addBatch();
        }
        if (!released.isEmpty()) {
            woken.add(purgeKey);
        }
    }

    /**
     * Executes every statement's batch in the order hand-backs' purge rows and removals, inserts, updates, deletes,
     * hand-backs, then wakes the brokers for the queues concerned: the wake-ups go out with the commit, when the rows
     * are there to claim.
     */
    void execute(Connection connection) throws SQLException {
        for (String key : purgeRows) {
            PreparedStatement s = statement(connection, PURGE_ROW);
            s.setString(1, key);
            s.addBatch();
        }
        for (int i = 0; i < statements.length; i++) {
            if (counts[i] > 0) {
                int[] rows = statements[i].executeBatch();
                if (i == ADD_TO_TEMPORARY) {
                    requireTemporaries(rows);
                } else if (i == RELEASE_PURGED) {
                    for (int r = 0; r < rows.length; r++) {
                        purgedCounts.get(r).addAndGet(Math.max(0, rows[r]));
                    }
                }
            }
        }
        QueueKeys.notify(connection, woken.size() > MAX_WAKE_UPS ? List.of(QueueKeys.ANY) : woken);
        QueueKeys.notifySubscriptions(connection, topics);
        QueueKeys.notify(connection, changedSubscriptions);
    }

    /**
     * A send to a temporary queue inserts nothing when the queue is gone (deleted, or its connection ended, on any
     * broker): a data error, so the group is retried batch by batch and only that send fails, rather than answered as
     * stored while nothing was.
     */
    private void requireTemporaries(int[] rows) throws SQLException {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == 0) {
                throw new SQLException("temporary queue '" + temporaryTargets.get(i) + "' no longer exists (deleted,"
                        + " or the connection that made it ended)", TEMPORARY_GONE);
            }
        }
    }

    /** Bytes of message bodies added so far. */
    long bytes() {
        return bytes;
    }

    private void add(Connection connection, StoreOp op) throws SQLException {
        if (op instanceof StoreOp.AddMessage add) {
            encoded(add.message());
            PreparedStatement s = statement(connection, ADD_MESSAGE);
            s.setLong(1, add.id());
            StoredQueue queue = add.queue();
            s.setString(2, queue.queueName());
            if (queue.isSubscription()) {
                s.setLong(3, queue.subscriptionId());
            } else {
                s.setNull(3, Types.BIGINT);
            }
            s.setShort(4, (short) add.message().priority());
            s.setLong(5, add.message().deliveryTime());
            s.setLong(6, add.message().expiration());
            s.setBytes(7, lastEncoded);
            s.setString(8, add.message().messageId());
            woken.add(QueueKeys.key(queue));
            bytes += lastEncoded.length;
            s.addBatch();
        } else if (op instanceof StoreOp.RemoveMessage remove) {
            byId(connection, REMOVE_MESSAGE, remove.id());
        } else if (op instanceof StoreOp.SetDeliveryCount count) {
            PreparedStatement s = statement(connection, SET_COUNT);
            s.setInt(1, count.deliveryCount());
            s.setLong(2, count.id());
            s.addBatch();
        } else if (op instanceof StoreOp.AddSubscription add) {
            DurableSubscription sub = add.subscription();
            PreparedStatement s = statement(connection, ADD_SUBSCRIPTION);
            s.setLong(1, add.id());
            s.setString(2, sub.clientId());
            s.setString(3, sub.name());
            s.setString(4, sub.topic());
            s.setString(5, sub.selector());
            s.setBoolean(6, sub.noLocal());
            s.setBoolean(7, sub.shared());
            changedSubscriptions.add(QueueKeys.SUBSCRIPTION + add.id()); // the other brokers learn of it
            s.addBatch();
        } else if (op instanceof StoreOp.RemoveSubscription remove) {
            byId(connection, REMOVE_SUBSCRIPTION, remove.id());
            byId(connection, REMOVE_SUBSCRIPTION_MESSAGES, remove.id());
            changedSubscriptions.add(QueueKeys.SUBSCRIPTION + remove.id());
        } else if (op instanceof StoreOp.AddBrokerSubscription add) {
            PreparedStatement s = statement(connection, ADD_BROKER_SUBSCRIPTION);
            s.setLong(1, add.id());
            s.setString(2, "#" + add.id());
            s.setString(3, add.topic());
            s.setObject(4, owner);
            s.addBatch();
        } else if (op instanceof StoreOp.PublishToSubscriptions publish) {
            byte[] encoded = encoded(publish.message());
            PreparedStatement s = statement(connection, PUBLISH);
            s.setShort(1, (short) publish.message().priority());
            s.setLong(2, publish.message().deliveryTime());
            s.setLong(3, publish.message().expiration());
            s.setBytes(4, encoded);
            s.setString(5, publish.publisher());
            s.setString(6, publish.message().messageId());
            s.setString(7, publish.topic());
            bytes += encoded.length;
            s.addBatch();
            topics.add(publish.topic());
        } else if (op instanceof StoreOp.AddTemporary add) {
            PreparedStatement s = statement(connection, ADD_TEMPORARY);
            s.setString(1, add.name());
            s.setBoolean(2, add.topic());
            s.setObject(3, owner);
            s.setString(4, add.connectionId());
            s.addBatch();
        } else if (op instanceof StoreOp.AddToTemporary add) {
            byte[] encoded = encoded(add.message());
            PreparedStatement s = statement(connection, ADD_TO_TEMPORARY);
            s.setLong(1, add.id());
            s.setString(2, add.queueName());
            s.setShort(3, (short) add.message().priority());
            s.setLong(4, add.message().deliveryTime());
            s.setLong(5, add.message().expiration());
            s.setBytes(6, encoded);
            s.setString(7, add.queueName());
            bytes += encoded.length;
            woken.add(QueueKeys.key(StoredQueue.queue(add.queueName())));
            temporaryTargets.add(add.queueName());
            s.addBatch();
        } else if (op instanceof StoreOp.RemoveTemporary remove) {
            PreparedStatement s = statement(connection, REMOVE_TEMPORARY);
            s.setString(1, remove.name());
            s.setObject(2, owner);
            s.addBatch();
        } else if (op instanceof StoreOp.AddProducer add) {
            PreparedStatement s = statement(connection, ADD_PRODUCER);
            s.setLong(1, add.id());
            s.setObject(2, add.last().producerId());
            s.setLong(3, add.last().sequence());
            s.setLong(4, add.storedAtMillis());
            s.addBatch();
        } else if (op instanceof StoreOp.SetProducerSequence set) {
            PreparedStatement s = statement(connection, SET_SEQUENCE);
            s.setLong(1, set.sequence());
            s.setLong(2, set.storedAtMillis());
            s.setLong(3, set.id());
            s.addBatch();
        } else if (op instanceof StoreOp.RemoveProducer remove) {
            byId(connection, REMOVE_PRODUCER, remove.id());
        } else {
            throw new IllegalArgumentException("unknown store op " + op);
        }
    }

    /** Copies of one message for several subscriptions follow each other: it is encoded once. */
    private byte[] encoded(WireMessage message) {
        if (message != lastMessage) {
            lastMessage = message;
            lastEncoded = StoreCodec.encodeMessage(message);
        }
        return lastEncoded;
    }

    private void byId(Connection connection, int kind, long id) throws SQLException {
        PreparedStatement s = statement(connection, kind);
        s.setLong(1, id);
        s.addBatch();
    }

    private PreparedStatement statement(Connection connection, int kind) throws SQLException {
        if (statements[kind] == null) {
            statements[kind] = connection.prepareStatement(SQL[kind]);
        }
        counts[kind]++;
        return statements[kind];
    }
}
