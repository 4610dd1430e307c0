package io.tunnelmq.spring.boot;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;

/**
 * Fails the start when the embedded broker is asked for but its artifact is missing: quietly connecting to
 * localhost instead would only fail later, with a "connection refused" that hides the cause.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingClass(EmbeddedBrokerConfiguration.BROKER_CLASS)
@ConditionalOnProperty(prefix = "tunnelmq.embedded", name = "enabled", havingValue = "true")
class MissingBrokerConfiguration {
    MissingBrokerConfiguration() {
        throw new EmbeddedBrokerMissingException();
    }
}
