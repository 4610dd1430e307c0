package io.tunnelmq.spring.boot;

import jakarta.jms.ConnectionFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The ConnectionFactory for a broker elsewhere ({@code tunnelmq.url}, default {@code tmq://localhost:9494}).
 * A PooledConnectionFactory is closed with the context (Spring calls {@code close()} on an AutoCloseable bean).
 */
@Configuration(proxyBeanMethods = false)
class ConnectionFactoryConfiguration {
    @Bean
    @ConditionalOnMissingBean(ConnectionFactory.class)
    ConnectionFactory tunnelmqConnectionFactory(TunnelMQProperties properties) {
        return new ConnectionFactoryBuilder(properties).build(TunnelMQProperties.DEFAULT_URL);
    }
}
