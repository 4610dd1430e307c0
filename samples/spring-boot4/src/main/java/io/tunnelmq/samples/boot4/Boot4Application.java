package io.tunnelmq.samples.boot4;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot 4 application on TunnelMQ: the starter makes the ConnectionFactory, Boot 4's JMS auto-configuration
 * makes JmsTemplate and the {@code @JmsListener} containers on it.
 */
@SpringBootApplication
public class Boot4Application {
    static final String GREETINGS = "greetings";

    public static void main(String[] args) {
        SpringApplication.run(Boot4Application.class, args);
    }
}
