-- TunnelMQ store schema, version 4: shared non-durable subscriptions (createSharedConsumer) are one subscription
-- across the brokers over this database. Its row lists the brokers whose clients consume from it (holders); it lives
-- while any broker holds it, and the last one out (or the reaping of the last dead one) removes it with its messages.

-- whether a subscription outlives its consumers: the durable ones; brokers' own non-durable ones (owner) and the
-- shared non-durable ones (holders) do not
ALTER TABLE tmq_subscriptions ADD COLUMN durable boolean NOT NULL DEFAULT true;
UPDATE tmq_subscriptions SET durable = false WHERE owner IS NOT NULL;
-- the brokers holding a shared non-durable subscription (null for the others)
ALTER TABLE tmq_subscriptions ADD COLUMN holders uuid[];

-- one durable and one shared non-durable subscription per client ID and name: separate name spaces (JMS 2.0)
DROP INDEX tmq_subscriptions_durable_key;
CREATE UNIQUE INDEX tmq_subscriptions_durable_key ON tmq_subscriptions (coalesce(client_id, ''), name)
    WHERE owner IS NULL AND durable;
CREATE UNIQUE INDEX tmq_subscriptions_shared_key ON tmq_subscriptions (coalesce(client_id, ''), name)
    WHERE owner IS NULL AND NOT durable;
