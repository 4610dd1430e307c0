package io.tunnelmq.server.store.postgres;

import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoredQueue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * The payloads of the wake-ups brokers send each other on the channel {@value #CHANNEL}: {@code q:<queue name>},
 * {@code s:<subscription id>}, or {@value #ANY} (any queue: a name too long for a payload, or too many queues at once);
 * and the notices with a prefix of their own: hunger, purges and durable subscriptions.
 */
final class QueueKeys {
    static final String CHANNEL = "tmq_messages";
    static final String ANY = "*";
    /** A hunger payload: {@code h:<broker id>|<queue key>} ({@link io.tunnelmq.server.store.SharedQueues#hungry}). */
    static final String HUNGRY = "h:";
    static final String SEPARATOR = "|";
    /**
     * A queue purged by an operator ({@link io.tunnelmq.server.store.SharedQueues#purge}):
     * {@code p:<broker id>|<position>|<queue key>}, what was stored before the position went; the broker that purged
     * dropped its share as it did, so it ignores its own notices.
     */
    static final String PURGED = "p:";
    /** A durable subscription made or removed: {@code d:<store id>}. */
    static final String SUBSCRIPTION = "d:";
    /** A client ID taken over by a client that failed over: {@code c:<broker id>|<connection id>}, that one ends. */
    static final String TAKEN_OVER = "c:";
    /** A NOTIFY payload must stay under 8000 bytes. */
    private static final int MAX_PAYLOAD_BYTES = 7999;

    private QueueKeys() {
    }

    /** The notices of {@code brokerId}'s purges begin with this ({@link #PURGED}). */
    static String purgesBy(Object brokerId) {
        return PURGED + brokerId + SEPARATOR;
    }

    /** The notice of a purge of a queue's key by {@code brokerId} ({@link #PURGED}). */
    static String purged(Object brokerId, long before, String key) {
        return purgesBy(brokerId) + before + SEPARATOR + key;
    }

    /** The purge a notice names, or null for a payload this broker cannot read. */
    static SharedQueues.Purged purge(String payload) {
        int broker = payload.indexOf(SEPARATOR);
        int position = broker < 0 ? -1 : payload.indexOf(SEPARATOR, broker + 1);
        if (!payload.startsWith(PURGED) || position < 0) {
            return null;
        }
        StoredQueue queue = queue(payload.substring(position + 1));
        try {
            long before = Long.parseLong(payload.substring(broker + 1, position));
            return queue == null ? null : new SharedQueues.Purged(queue, before);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String key(StoredQueue queue) {
        String key = queue.isSubscription() ? "s:" + queue.subscriptionId() : "q:" + queue.queueName();
        return key.length() * 3 > MAX_PAYLOAD_BYTES && key.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES
                ? ANY : key;
    }

    /** The queue a payload names, or null for any queue (or a payload this broker does not know). */
    static StoredQueue queue(String key) {
        if (key.startsWith("q:")) {
            return StoredQueue.queue(key.substring(2));
        }
        if (key.startsWith("s:")) {
            try {
                long id = Long.parseLong(key.substring(2));
                return id > 0 ? StoredQueue.subscription(id) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Sends a wake-up per key in the caller's transaction: PostgreSQL delivers a NOTIFY when (and only if) the
     * transaction commits, so a listener that hears it finds the rows it announces (identical keys in one
     * transaction are delivered once).
     */
    static void notify(Connection connection, Collection<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT pg_notify('" + CHANNEL + "', k) FROM unnest(?::text[]) AS k")) {
            s.setArray(1, connection.createArrayOf("text", keys.toArray()));
            s.execute();
        }
    }

    /** Sends a wake-up for every subscription of the topics, in the caller's transaction (see {@link #notify}). */
    static void notifySubscriptions(Connection connection, Collection<String> topics) throws SQLException {
        if (topics.isEmpty()) {
            return;
        }
        try (PreparedStatement s = connection.prepareStatement("SELECT pg_notify('" + CHANNEL + "', 's:' || id)"
                + " FROM tmq_subscriptions WHERE topic = ANY(?::text[])")) {
            s.setArray(1, connection.createArrayOf("text", topics.toArray()));
            s.execute();
        }
    }
}
