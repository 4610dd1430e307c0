-- TunnelMQ store schema, version 7: when each queue's last purge was taken, by the database's clock. A broker that
-- holds messages of the queue drops only those that were waiting when the purge was taken: one locked then and
-- abandoned after it (before the broker heard of the purge, or while it did not listen) stays, as on one broker
ALTER TABLE tmq_purges ADD COLUMN purged_at timestamptz NOT NULL DEFAULT clock_timestamp();
