/**
 * Public API: the JNDI {@link io.tunnelmq.jndi.TunnelInitialContextFactory}, which binds connection factories and
 * destinations from the keys users know from other providers ({@code connectionFactory.<name>},
 * {@code queue.<name>}, {@code topic.<name>}, {@code dynamicQueues/<name>}, {@code dynamicTopics/<name>}).
 */
package io.tunnelmq.jndi;
