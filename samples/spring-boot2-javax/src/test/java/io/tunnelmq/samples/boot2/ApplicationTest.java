package io.tunnelmq.samples.boot2;

import io.netty.util.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;

import javax.jms.ConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application as Spring Boot 2.7 runs it — Boot's dependency versions, javax.jms, Netty 4.1 — against an embedded
 * broker: JmsTemplate sends, the @JmsListener handles (again, after a rollback), JmsTemplate receives the confirmation.
 */
@SpringBootTest
@ContextConfiguration(initializers = EmbeddedBrokerInitializer.class)
@DirtiesContext
@Timeout(60)
class ApplicationTest {

    @Autowired
    JmsTemplate jms;

    @Autowired
    ConnectionFactory connectionFactory;

    @Test
    void anOrderSentWithJmsTemplateIsHandledByTheListenerAndConfirmed() {
        jms.convertAndSend(OrderListener.ORDERS, "order-1");

        assertThat(jms.receiveAndConvert(OrderListener.CONFIRMATIONS)).isEqualTo("confirmed order-1");
    }

    @Test
    void anOrderWhoseHandlingThrowsIsRolledBackAndRedelivered() {
        jms.convertAndSend(OrderListener.ORDERS, "order-2", message -> {
            message.setBooleanProperty(OrderListener.FAIL_FIRST_DELIVERY, true);
            return message;
        });

        // the first delivery threw, so the only confirmation comes from a delivery with JMSRedelivered=true
        assertThat(jms.receiveAndConvert(OrderListener.CONFIRMATIONS)).isEqualTo("confirmed order-2 on redelivery");
    }

    @Test
    void runsOnSpringBoot27AndItsNetty41WithTheJavaxClient() {
        assertThat(SpringBootVersion.getVersion()).startsWith("2.7.");
        assertThat(Version.identify().get("netty-transport").artifactVersion()).isEqualTo("4.1.101.Final");
        assertThat(Version.identify().get("netty-common").artifactVersion()).isEqualTo("4.1.101.Final");
        assertThat(connectionFactory.getClass().getName()).isEqualTo("io.tunnelmq.jms.pool.PooledConnectionFactory");
    }
}
