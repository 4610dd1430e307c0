package io.tunnelmq.samples.boot2;

import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts an in-process broker on a free port before the application's beans exist and points {@code tunnelmq.url}
 * at it. The broker is the context's first disposable bean, so it stops last: after the listener containers and the
 * connection pool have closed against it.
 */
class EmbeddedBrokerInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        DefaultListableBeanFactory beans = (DefaultListableBeanFactory) context.getBeanFactory();
        beans.registerSingleton("embeddedBroker", broker);
        beans.registerDisposableBean("embeddedBroker", broker::close);
        TestPropertyValues.of("tunnelmq.url=" + broker.url()).applyTo(context);
    }
}
