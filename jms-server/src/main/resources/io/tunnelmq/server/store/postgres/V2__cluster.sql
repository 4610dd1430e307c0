-- TunnelMQ store schema, version 2: several brokers over one database serve the same queues (a cluster).

-- store ids in blocks: each broker takes the next block with nextval and issues its ids [value, value + 1024)
-- from memory, so ids never collide between brokers. The block size is IdBlocks.SIZE in the broker: change both or
-- neither. The first block starts above every id a version-1 database already holds (is_called = false: the first
-- nextval returns exactly that value).
CREATE SEQUENCE tmq_id_blocks INCREMENT BY 1024 MINVALUE 1;
SELECT setval('tmq_id_blocks', 1 + greatest(
        (SELECT coalesce(max(id), 0) FROM tmq_messages),
        (SELECT coalesce(max(id), 0) FROM tmq_subscriptions),
        (SELECT coalesce(max(id), 0) FROM tmq_producers)), false);

-- when a claim finds nothing due, the earliest delivery time still to come of the queue's unleased messages; only
-- rows with a delivery time (deliver_at > 0) are indexed, which most messages have not
CREATE INDEX tmq_messages_queue_due ON tmq_messages (queue_name, deliver_at)
    WHERE queue_name IS NOT NULL AND lease_owner IS NULL AND deliver_at > 0;
CREATE INDEX tmq_messages_subscription_due ON tmq_messages (subscription_id, deliver_at)
    WHERE subscription_id IS NOT NULL AND lease_owner IS NULL AND deliver_at > 0;


-- messages of subscriptions that are gone: a version-1 broker dropped them at its recovery; brokers no longer recover
-- messages (they claim them), and a subscription's removal now deletes its messages with it
DELETE FROM tmq_messages m WHERE subscription_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM tmq_subscriptions s WHERE s.id = m.subscription_id);
