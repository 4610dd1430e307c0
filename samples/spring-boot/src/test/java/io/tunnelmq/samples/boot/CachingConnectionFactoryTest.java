package io.tunnelmq.samples.boot;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.samples.boot.Deliveries.Delivery;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jms.connection.CachingConnectionFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same application with the ConnectionFactory an application may prefer: Spring's CachingConnectionFactory
 * around a plain TunnelConnectionFactory. The starter steps back (its own factory is not made) but still runs the
 * embedded broker.
 */
@SpringBootTest(properties = "tunnelmq.embedded.enabled=true")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CachingConnectionFactoryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    OrderSender sender;
    @Autowired
    Deliveries deliveries;
    @Autowired
    ConnectionFactory connectionFactory;

    @Test
    void theAppWorksOnSpringsCachingConnectionFactory() throws Exception {
        assertThat(connectionFactory).isInstanceOf(CachingConnectionFactory.class);
        sender.placeOrder("order-2");
        assertThat(deliveries.next(SampleApplication.ORDERS, WAIT)).isEqualTo(new Delivery("order-2", false, 1));
        sender.pay("payment-2");
        assertThat(deliveries.next(SampleApplication.PAYMENTS, WAIT)).isEqualTo(new Delivery("payment-2", false, 1));
        assertThat(deliveries.next(SampleApplication.PAYMENTS, WAIT)).isEqualTo(new Delivery("payment-2", true, 2));
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class CachingFactory {
        @Bean
        CachingConnectionFactory connectionFactory(EmbeddedBroker broker) {
            return new CachingConnectionFactory(new TunnelConnectionFactory(broker.url()));
        }
    }
}
