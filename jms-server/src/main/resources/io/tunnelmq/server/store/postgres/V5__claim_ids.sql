-- TunnelMQ store schema, version 5: each claim marks the rows it leases with an id of its own, so a broker whose
-- claim committed but whose answer never came (the connection failed under it) finds those rows again with its next
-- claim of the queue, instead of holding them leased, unseen, until it leaves (found through tmq_messages_lease)
ALTER TABLE tmq_messages ADD COLUMN claim_id bigint;
