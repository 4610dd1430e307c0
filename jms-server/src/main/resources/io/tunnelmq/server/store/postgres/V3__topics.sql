-- TunnelMQ store schema, version 3: topics shared by the brokers over this database. Every subscription is a row
-- (durable ones as before; a non-durable one with the broker it lives on as owner, removed with that broker), and a
-- publication is copied by the database to every subscription of its topic, so a subscriber on any broker gets what
-- is published through any other.

-- a non-durable subscription: the broker whose client holds it (its rows go when that broker does); null: durable
ALTER TABLE tmq_subscriptions ADD COLUMN owner uuid;
-- the publications' copy: every subscription of a topic, found by its topic
CREATE INDEX tmq_subscriptions_topic ON tmq_subscriptions (topic);
CREATE INDEX tmq_subscriptions_owner ON tmq_subscriptions (owner) WHERE owner IS NOT NULL;
-- the publishing connection of a topic message's copy, for no-local subscriptions (null for queue messages)
ALTER TABLE tmq_messages ADD COLUMN publisher text;
-- a removed subscription's copies are deleted with it
CREATE INDEX tmq_messages_subscription ON tmq_messages (subscription_id) WHERE subscription_id IS NOT NULL;

-- temporary queues and topics, each owned by the broker of the connection that made it: other brokers store what is
-- sent to one only while it exists here (a connection that fails over re-creates its own on its new broker)
CREATE TABLE tmq_temporaries (
    name          text PRIMARY KEY,
    topic         boolean NOT NULL,
    owner         uuid NOT NULL,
    connection_id text NOT NULL
);
CREATE INDEX tmq_temporaries_owner ON tmq_temporaries (owner);

-- a producer that fails over is looked up by its id on the broker it comes to (its resends are stored once)
CREATE INDEX tmq_producers_producer ON tmq_producers (producer_id);

-- one durable subscription per client ID and name, whichever broker makes it (two made at once: one is refused)
CREATE UNIQUE INDEX tmq_subscriptions_durable_key ON tmq_subscriptions (coalesce(client_id, ''), name)
    WHERE owner IS NULL;

-- expired messages nobody claims (their queue has no consumer anywhere): removed by a broker now and then
CREATE INDEX tmq_messages_expiry ON tmq_messages (expires_at) WHERE expires_at > 0 AND lease_owner IS NULL;

-- the brokers none of whose consumers selects the message: their claims pass it by until their consumers change
ALTER TABLE tmq_messages ADD COLUMN declined_by uuid[];

-- a queue message's JMSMessageID: a consumer that failed over names those its application saw, flagged redelivered
ALTER TABLE tmq_messages ADD COLUMN message_id text;
