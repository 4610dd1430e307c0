-- TunnelMQ store schema, version 9: JMS client IDs across the brokers over this database. JMS allows a client ID on
-- one connection at a time; each broker checks its own connections, and this table the others': a row per client ID
-- in use, naming the broker and connection holding it, the user of that connection and a hash of the resume key it
-- presented (a client that fails over presents it again through another broker and takes the row over). A row whose
-- broker is no longer in tmq_brokers is free; a broker's rows go when it leaves or is taken for dead.
CREATE TABLE tmq_client_ids (
    client_id     text PRIMARY KEY,
    broker_id     uuid NOT NULL,
    connection_id text NOT NULL,
    username      text,
    resume_hash   text
);
CREATE INDEX tmq_client_ids_broker ON tmq_client_ids (broker_id);
