/**
 * Internal: not public API (applications use {@code io.tunnelmq.jms} and {@code io.tunnelmq.jndi}; this package
 * may change in any release).
 *
 * <p>The per-connection engine: session channels, send window, consumer credit, lock tracking and pending
 * requests. Engine state lives on the connection's Netty event loop; every operation returns a
 * {@link java.util.concurrent.CompletableFuture} and nothing here blocks, sleeps or runs application code.
 * This package never imports {@code jakarta.jms}: the facade above maps {@link io.tunnelmq.jms.engine.EngineException}
 * to JMS exceptions.
 *
 * <p>Futures are completed on the event loop. Callers must not run user code in a dependent stage
 * without moving it to their own executor ({@code thenAcceptAsync(..., executor)}).
 */
package io.tunnelmq.jms.engine;
