package io.tunnelmq.server.store.postgres;

import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoreException;
import io.tunnelmq.server.store.StoredQueue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

/**
 * An operator's purge of a queue or stored subscription in the database
 * ({@link io.tunnelmq.server.store.SharedQueues#purge}): one transaction takes the purge's position in
 * {@code tmq_record_seq} and keeps it as the last purge of that key ({@code tmq_purges}, by the key its notices carry:
 * {@code q:<name>} or {@code s:<id>}), deletes the messages stored before it that no broker holds, and sends the purge
 * notice, which PostgreSQL delivers to every other listening broker once all of it is committed. A broker told of a purge
 * finds what it holds of the messages stored before it and when the purge was taken ({@link #heldBefore}): it drops
 * those that were waiting then.
 */
final class QueuePurges {
    private static final String MARK = "INSERT INTO tmq_purges (purge_key, purge_seq, purged_at)"
            + " VALUES (?, nextval('tmq_record_seq'), clock_timestamp()) ON CONFLICT (purge_key)"
            + " DO UPDATE SET purge_seq = EXCLUDED.purge_seq, purged_at = EXCLUDED.purged_at RETURNING purge_seq";
    /* how long ago, by the database's clock, the purge at this position was taken (no row: a newer one replaced it) */
    private static final String AGE = "SELECT (extract(epoch FROM clock_timestamp() - purged_at) * 1000000)::bigint"
            + " FROM tmq_purges WHERE purge_key = ? AND purge_seq = ?";
    /* through the claim index: the unleased messages of one queue or subscription, scheduled ones too */
    private static final String PURGE = "WITH gone AS (DELETE FROM tmq_messages WHERE %s = ?"
            + " AND lease_owner IS NULL AND seq < ? RETURNING 1) SELECT count(*) FROM gone";
    /* through the lease index */
    private static final String HELD = "SELECT id, claim_id FROM tmq_messages WHERE lease_owner = ? AND %s = ?"
            + " AND seq < ?";
    /** Purges since a position: what a broker that was not listening missed, by the key of its notices. */
    static final String SINCE = "SELECT purge_key, purge_seq FROM tmq_purges WHERE purge_seq > ?";

    private final ReaderCalls reader;
    private final UUID owner;

    QueuePurges(ReaderCalls reader, UUID owner) {
        this.reader = reader;
        this.owner = owner;
    }

    CompletableFuture<SharedQueues.PurgeResult> purge(StoredQueue queue) {
        String key = QueueKeys.key(queue);
        if (QueueKeys.ANY.equals(key)) {
            return CompletableFuture.failedFuture(new StoreException("the name of " + queue + " is too long for the"
                    + " purge notice the other brokers hear"));
        }
        return reader.inTransaction("purge " + queue, connection -> {
            long before;
            try (PreparedStatement s = connection.prepareStatement(MARK)) {
                s.setString(1, key);
                try (ResultSet rows = s.executeQuery()) {
                    rows.next();
                    before = rows.getLong(1);
                }
            }
            int purged;
            try (PreparedStatement s = connection.prepareStatement(PURGE.formatted(QueueClaims.column(queue)))) {
                QueueClaims.setQueue(s, 1, queue);
                s.setLong(2, before);
                try (ResultSet rows = s.executeQuery()) {
                    rows.next();
                    purged = rows.getInt(1);
                }
            }
            QueueKeys.notify(connection, List.of(QueueKeys.purged(owner, before, key)));
            return new SharedQueues.PurgeResult(before, purged);
        });
    }

    /**
     * What this broker holds of the messages stored before the purge at {@code before}, and when the purge was taken
     * on this JVM's clock: the database says how long ago it was, counted back from before the question was sent, so
     * the moment is no later than the purge (the round trip makes it earlier, never later).
     */
    CompletableFuture<SharedQueues.HeldBefore> heldBefore(StoredQueue queue, long before) {
        return reader.run("find the messages of " + queue + " held here before its purge", connection -> {
            long asked = System.nanoTime();
            long ageMicros;
            try (PreparedStatement s = connection.prepareStatement(AGE)) {
                s.setString(1, QueueKeys.key(queue));
                s.setLong(2, before);
                try (ResultSet rows = s.executeQuery()) {
                    if (!rows.next()) {
                        return SharedQueues.HeldBefore.none();
                    }
                    ageMicros = Math.max(0, rows.getLong(1));
                }
            }
            try (PreparedStatement s = connection.prepareStatement(HELD.formatted(QueueClaims.column(queue)))) {
                s.setObject(1, owner);
                QueueClaims.setQueue(s, 2, queue);
                s.setLong(3, before);
                LongStream.Builder ids = LongStream.builder();
                LongStream.Builder claims = LongStream.builder();
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                        claims.add(rows.getLong(2)); // null (leased before claims had ids) reads as 0: none
                    }
                }
                return new SharedQueues.HeldBefore(ids.build().toArray(), claims.build().toArray(),
                        asked - ageMicros * 1000);
            }
        });
    }
}
