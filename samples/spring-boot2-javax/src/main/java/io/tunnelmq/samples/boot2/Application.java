package io.tunnelmq.samples.boot2;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.pool.PooledConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import javax.jms.ConnectionFactory;

/**
 * A Spring Boot 2.7 application on javax.jms. The ConnectionFactory bean is all it adds for TunnelMQ: Boot builds a
 * JmsTemplate and a transacted listener container factory around it. The pool keeps JmsTemplate from opening a
 * connection per send; Spring closes it (and its connections) with the context.
 */
@SpringBootApplication
public class Application {

    @Bean
    ConnectionFactory connectionFactory(@Value("${tunnelmq.url}") String url) {
        return new PooledConnectionFactory(new TunnelConnectionFactory(url));
    }

    public static void main(String[] args) {
        SpringApplication.run(Application.class, args);
    }
}
