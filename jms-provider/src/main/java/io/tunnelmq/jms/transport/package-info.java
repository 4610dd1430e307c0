/**
 * Internal: not public API (applications use {@code io.tunnelmq.jms} and {@code io.tunnelmq.jndi}; this package
 * may change in any release).
 *
 * <p>The client's TCP transport: the Netty bootstrap and pipeline of a tunnel (frame codec, flush consolidation,
 * frame tracing, heartbeats) on shared daemon event loops. It moves frames and knows nothing of the engine above
 * it, which adds its own handlers at the end of the pipeline.
 */
package io.tunnelmq.jms.transport;
