package io.tunnelmq.samples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application on TunnelMQ. The starter makes the ConnectionFactory from application.properties; Boot
 * makes JmsTemplate and the {@code @JmsListener} containers on it. Run it against a broker on localhost:9494, or with
 * {@code --tunnelmq.embedded.enabled=true} to have it start its own.
 */
@SpringBootApplication
public class SampleApplication {
    /** Queue of {@link OrderListener}: plain {@code @JmsListener} on Boot's default container factory. */
    static final String ORDERS = "orders";
    /** Queue of {@link PaymentListener}: a transacted listener container. */
    static final String PAYMENTS = "payments";
    /** Queue of {@link AuditListener}: a CLIENT_ACKNOWLEDGE listener container. */
    static final String AUDIT = "audit";

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
