/**
 * The pooled ConnectionFactory, {@link io.tunnelmq.jms.pool.PooledConnectionFactory}, on Apache Commons Pool:
 * connections keyed by credentials, sessions per connection keyed by session mode, one anonymous producer per
 * session and, optionally, consumers. Everything but the factory is package-private: the application sees only
 * standard JMS interfaces, so it can neither reach a physical connection nor keep one from going back clean.
 */
package io.tunnelmq.jms.pool;
