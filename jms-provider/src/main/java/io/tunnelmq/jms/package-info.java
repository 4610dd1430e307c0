/**
 * TunnelMQ's public client API, with {@code io.tunnelmq.jndi}: the {@link io.tunnelmq.jms.TunnelConnectionFactory},
 * its URL options ({@link io.tunnelmq.jms.ConnectionOptions}), the destinations, and the peek-lock extension
 * {@link io.tunnelmq.jms.LockedMessage}. Everything else is reached through the Jakarta Messaging interfaces; the
 * subpackages are internal and may change in any release.
 */
package io.tunnelmq.jms;
