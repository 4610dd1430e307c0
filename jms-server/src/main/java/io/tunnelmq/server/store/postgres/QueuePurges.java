package io.tunnelmq.server.store.postgres;

import io.tunnelmq.server.store.StoreException;
import io.tunnelmq.server.store.StoredQueue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An operator's purge of a queue in the database ({@link io.tunnelmq.server.store.SharedQueues#purge}): one
 * transaction deletes the queue's messages no broker holds and sends the purge notice, which PostgreSQL delivers to
 * every listening broker once the deletion is committed.
 */
final class QueuePurges {
    /* through the claim index: the unleased messages of one queue, scheduled ones too */
    private static final String PURGE = "WITH gone AS (DELETE FROM tmq_messages WHERE queue_name = ?"
            + " AND lease_owner IS NULL RETURNING 1) SELECT count(*) FROM gone";

    private final ReaderCalls reader;

    QueuePurges(ReaderCalls reader) {
        this.reader = reader;
    }

    CompletableFuture<Integer> purge(StoredQueue queue) {
        if (queue.isSubscription()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("only a queue is purged across the"
                    + " brokers, not the subscription " + queue));
        }
        String key = QueueKeys.key(queue);
        if (QueueKeys.ANY.equals(key)) {
            return CompletableFuture.failedFuture(new StoreException("the name of " + queue + " is too long for the"
                    + " purge notice the other brokers hear"));
        }
        return reader.inTransaction("purge " + queue, connection -> {
            int purged;
            try (PreparedStatement s = connection.prepareStatement(PURGE)) {
                s.setString(1, queue.queueName());
                try (ResultSet rows = s.executeQuery()) {
                    rows.next();
                    purged = rows.getInt(1);
                }
            }
            QueueKeys.notify(connection, List.of(QueueKeys.PURGED + key));
            return purged;
        });
    }
}
