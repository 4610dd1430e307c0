-- TunnelMQ store schema, version 1. Laid out for one broker now and for a cluster of brokers on the same database
-- next: a message row carries what a broker needs to claim it without decoding the body (queue, priority, order,
-- delivery count, delivery time, expiration) and the columns of a lease (owner broker, lease end).

-- one row, made with the schema: the identity every broker over this database reports to clients
CREATE TABLE tmq_store (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    identity   text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO tmq_store (identity) VALUES (md5(random()::text || clock_timestamp()::text)::uuid::text);

-- one order for every record: recovery visits records in the order they were first added
CREATE SEQUENCE tmq_record_seq;

CREATE TABLE tmq_subscriptions (
    id        bigint PRIMARY KEY,
    seq       bigint NOT NULL DEFAULT nextval('tmq_record_seq'),
    client_id text,
    name      text NOT NULL,
    topic     text NOT NULL,
    selector  text,
    no_local  boolean NOT NULL,
    shared    boolean NOT NULL
);

CREATE TABLE tmq_messages (
    id              bigint PRIMARY KEY,
    seq             bigint NOT NULL DEFAULT nextval('tmq_record_seq'),
    queue_name      text,
    subscription_id bigint,
    priority        smallint NOT NULL,
    delivery_count  integer NOT NULL DEFAULT 1,
    deliver_at      bigint NOT NULL DEFAULT 0,
    expires_at      bigint NOT NULL DEFAULT 0,
    lease_owner     uuid,
    lease_until     bigint,
    body            bytea NOT NULL,
    CHECK ((queue_name IS NULL) <> (subscription_id IS NULL))
);
CREATE INDEX tmq_messages_seq ON tmq_messages (seq);
-- the cluster's claim: the next unleased messages of one queue by priority, then order
CREATE INDEX tmq_messages_queue_claim ON tmq_messages (queue_name, priority DESC, seq)
    WHERE queue_name IS NOT NULL AND lease_owner IS NULL;
CREATE INDEX tmq_messages_subscription_claim ON tmq_messages (subscription_id, priority DESC, seq)
    WHERE subscription_id IS NOT NULL AND lease_owner IS NULL;
CREATE INDEX tmq_messages_lease ON tmq_messages (lease_owner) WHERE lease_owner IS NOT NULL;

-- producers of the duplicate window: the highest sequence stored for each
CREATE TABLE tmq_producers (
    id          bigint PRIMARY KEY,
    seq         bigint NOT NULL DEFAULT nextval('tmq_record_seq'),
    producer_id uuid NOT NULL,
    sequence    bigint NOT NULL,
    stored_at   bigint NOT NULL
);

-- brokers over this database and when each was last seen alive: a stale heartbeat frees its leases
CREATE TABLE tmq_brokers (
    broker_id    uuid PRIMARY KEY,
    address      text NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);
