/**
 * Internal: not public API (applications use {@code io.tunnelmq.jms} and {@code io.tunnelmq.jndi}; this package
 * may change in any release).
 *
 * <p>Reconnection and failover, as a layer of its own between the facade and the engine: a decorator around
 * {@link io.tunnelmq.jms.engine.EngineConnection} that, when the engine connection to a broker fails, connects
 * again (to the same broker or another of the list, with back-off, for at most the reconnect timeout) and restores
 * on the new tunnel everything the facade built on the old one: sessions, consumers, credit, temporary
 * destinations, unconfirmed persistent sends. The facade sees one engine connection that never fails until it
 * gives up. This package depends on the engine's interfaces only; the engine never depends on it.
 */
package io.tunnelmq.jms.failover;
