-- TunnelMQ store schema, version 6: the last purge of each queue, as the position in tmq_record_seq it was taken at.
-- A purge removes what was stored before that position; a broker that did not hear the purge notice (its listening
-- connection was down) reads it here when it listens again and drops what it claimed of the queue before it
CREATE TABLE tmq_purges (
    queue_name text PRIMARY KEY,
    purge_seq  bigint NOT NULL
);
