/**
 * Internal: not public API (applications use {@code io.tunnelmq.jms} and {@code io.tunnelmq.jndi}; this package
 * may change in any release).
 *
 * <p>TunnelMQ's JMS messages and their conversion to and from the wire form
 * ({@link io.tunnelmq.jms.message.WireMessages}). Received messages also carry their peek-lock state and
 * implement {@link io.tunnelmq.jms.LockedMessage}.
 */
package io.tunnelmq.jms.message;
