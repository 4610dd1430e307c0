/**
 * The peek-lock engine ({@link io.tunnelmq.server.queue.PeekLockQueue}): available, locked and scheduled messages,
 * lock tokens and timers, delivery counts and dead-lettering, credit-based round-robin dispatch, and the
 * broker-wide memory account. Queues are thread-safe and never call out while holding their lock except to the
 * documented quick callbacks.
 */
package io.tunnelmq.server.queue;
