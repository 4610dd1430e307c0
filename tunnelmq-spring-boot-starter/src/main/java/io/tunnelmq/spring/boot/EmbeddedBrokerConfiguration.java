package io.tunnelmq.spring.boot;

import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.ConnectionFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded broker ({@code tunnelmq.embedded.enabled=true}, io.tunnelmq:jms-server on the class path) and the
 * ConnectionFactory that connects to it unless {@code tunnelmq.url} says otherwise.
 *
 * <p>The ConnectionFactory takes the broker as a parameter: Spring then knows it depends on the broker, starts the
 * broker first and, on shutdown, closes the ConnectionFactory (and the pool's connections) before it stops the
 * broker — so no client sees its broker go away and starts reconnecting.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = EmbeddedBrokerConfiguration.BROKER_CLASS)
@ConditionalOnProperty(prefix = "tunnelmq.embedded", name = "enabled", havingValue = "true")
class EmbeddedBrokerConfiguration {
    static final String BROKER_CLASS = "io.tunnelmq.server.EmbeddedBroker";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    EmbeddedBroker tunnelmqEmbeddedBroker(TunnelMQProperties properties) {
        TunnelMQProperties.Embedded embedded = properties.getEmbedded();
        BrokerConfig config = BrokerConfig.defaults().withHost(embedded.getHost()).withPort(embedded.getPort());
        if (embedded.isPersistent()) {
            config = config.withJournal(embedded.getDataDir());
        }
        return EmbeddedBroker.start(config);
    }

    @Bean
    @ConditionalOnMissingBean(ConnectionFactory.class)
    ConnectionFactory tunnelmqConnectionFactory(TunnelMQProperties properties, EmbeddedBroker broker) {
        return new ConnectionFactoryBuilder(properties).build(broker.url());
    }
}
