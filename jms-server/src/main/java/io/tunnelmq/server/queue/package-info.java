/**
 * The peek-lock engine ({@link io.tunnelmq.server.queue.PeekLockQueue}): available, locked and scheduled messages,
 * lock tokens and timers, delivery counts and dead-lettering, credit-based round-robin dispatch, and the
 * broker-wide memory account. Past its memory a queue pages new messages out: it keeps a small entry of each
 * ({@link io.tunnelmq.server.queue.QueuedMessage#isPagedOut()}) and {@link io.tunnelmq.server.queue.PageIn} reads the
 * bodies back from {@link io.tunnelmq.server.store.pages.PagedMessages} ahead of delivery. Queues are thread-safe and never call out while holding their lock except to the
 * documented quick callbacks.
 */
package io.tunnelmq.server.queue;
