package io.tunnelmq.spring.boot;

import io.tunnelmq.jms.TunnelConnectionFactory;
import jakarta.jms.ConnectionFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of TunnelMQ for Spring Boot 3 and 4: a ConnectionFactory (pooled by default) from the
 * {@code tunnelmq.*} properties unless the application defines its own, and an embedded broker when
 * {@code tunnelmq.embedded.enabled=true}. It runs before Boot's JMS auto-configuration (Boot 3 and Boot 4 name it
 * differently), which then builds JmsTemplate and the {@code @JmsListener} container factory on this
 * ConnectionFactory.
 *
 * <p>The imports are ordered: the embedded broker's configuration, when it applies, defines the ConnectionFactory
 * pointing at the broker; the plain one only defines it if none exists yet.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.autoconfigure.jms.JmsAutoConfiguration", // Boot 3
        "org.springframework.boot.jms.autoconfigure.JmsAutoConfiguration"}) // Boot 4
@ConditionalOnClass({ConnectionFactory.class, TunnelConnectionFactory.class})
@EnableConfigurationProperties(TunnelMQProperties.class)
@Import({EmbeddedBrokerConfiguration.class, MissingBrokerConfiguration.class, ConnectionFactoryConfiguration.class})
public class TunnelMQAutoConfiguration {
}
