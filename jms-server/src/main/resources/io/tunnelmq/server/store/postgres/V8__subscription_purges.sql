-- TunnelMQ store schema, version 8: a durable or shared subscription is purged across the brokers too. The last purge
-- of each queue or subscription is kept under the key its purge notices carry: q:<queue name> or s:<subscription id>
ALTER TABLE tmq_purges RENAME COLUMN queue_name TO purge_key;
UPDATE tmq_purges SET purge_key = 'q:' || purge_key;
