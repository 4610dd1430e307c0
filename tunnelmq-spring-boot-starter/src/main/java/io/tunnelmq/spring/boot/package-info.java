/**
 * Spring Boot 3 and 4 auto-configuration for TunnelMQ: {@link io.tunnelmq.spring.boot.TunnelMQAutoConfiguration}
 * and its {@code tunnelmq.*} properties, {@link io.tunnelmq.spring.boot.TunnelMQProperties}. Everything else here is
 * package-private: applications configure the starter through properties, or replace its beans with their own.
 */
package io.tunnelmq.spring.boot;
