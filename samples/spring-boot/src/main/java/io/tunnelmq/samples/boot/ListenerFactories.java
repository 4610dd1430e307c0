package io.tunnelmq.samples.boot;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.Session;
import org.springframework.boot.autoconfigure.jms.DefaultJmsListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.config.DefaultJmsListenerContainerFactory;

/**
 * Two listener container factories besides Boot's default, each configured as Boot configures its own (from
 * spring.jms.listener.*) and then given its session mode. The ConnectionFactory is the starter's.
 */
@Configuration(proxyBeanMethods = false)
class ListenerFactories {
    /** A failing listener's message is rolled back (abandoned on the broker) and delivered again. */
    @Bean
    DefaultJmsListenerContainerFactory transactedFactory(DefaultJmsListenerContainerFactoryConfigurer configurer,
                                                         ConnectionFactory connectionFactory) {
        DefaultJmsListenerContainerFactory factory = new DefaultJmsListenerContainerFactory();
        configurer.configure(factory, connectionFactory);
        factory.setSessionTransacted(true);
        return factory;
    }

    /**
     * The container acknowledges after the listener returned; when it throws, the container recovers the session
     * and the broker delivers the message again. Not transacted: Boot's configurer makes containers transacted
     * by default, which would override the acknowledge mode.
     */
    @Bean
    DefaultJmsListenerContainerFactory clientAcknowledgeFactory(DefaultJmsListenerContainerFactoryConfigurer configurer,
                                                                ConnectionFactory connectionFactory) {
        DefaultJmsListenerContainerFactory factory = new DefaultJmsListenerContainerFactory();
        configurer.configure(factory, connectionFactory);
        factory.setSessionTransacted(false);
        factory.setSessionAcknowledgeMode(Session.CLIENT_ACKNOWLEDGE);
        return factory;
    }
}
