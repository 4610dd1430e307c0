/**
 * The message store SPI and its implementations. The queue engine and the sessions talk to a
 * {@link io.tunnelmq.server.store.MessageStore}: a sequence of atomic batches of {@link io.tunnelmq.server.store.StoreOp}s
 * (a message added to a queue, deleted, its delivery count changed, a durable subscription created or removed, a
 * producer's highest stored sequence for the duplicate window), each
 * batch durable as a whole or not at all, plus recovery at start.
 *
 * <ul>
 *   <li>{@link io.tunnelmq.server.store.MemoryStore} keeps nothing: every batch completes at once. It stands for
 *       non-persistent messages, and for the whole broker when it runs without a data directory.</li>
 *   <li>{@link io.tunnelmq.server.store.JournalStore} encodes batches ({@link io.tunnelmq.server.store.StoreCodec})
 *       onto a {@link io.tunnelmq.server.store.RecordLog}: an append-only, checksummed, group-committed log of
 *       records with ids, annotations and deletes. The production log is the embedded journal
 *       ({@code io.tunnelmq.server.store.journal}); {@link io.tunnelmq.server.store.RecordLogs} says which log the
 *       broker opens.</li>
 *   <li>A persistent store that cannot be opened (an unusable directory, a damaged journal) stops the broker's start
 *       with a {@link io.tunnelmq.server.store.StoreOpenException} saying what to do;
 *       {@link io.tunnelmq.server.store.RecordLogs#salvaging()} opens a damaged journal with what still verifies.</li>
 * </ul>
 *
 * <p>Which messages are stored: persistent messages on durable destinations (queues, dead-letter and expiry queues,
 * durable subscriptions). Non-persistent messages, temporary destinations and non-durable subscriptions are never
 * written.
 */
package io.tunnelmq.server.store;
