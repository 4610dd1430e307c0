package io.tunnelmq.samples.boot4;

import io.tunnelmq.jms.pool.PooledConnectionFactory;
import jakarta.jms.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jms.core.JmsTemplate;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Boot 4 application on the embedded broker; Boot 4's dependency management, no overrides. */
@SpringBootTest(properties = "tunnelmq.embedded.enabled=true")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Boot4ApplicationTest {
    @Autowired
    Greetings greetings;
    @Autowired
    JmsTemplate jmsTemplate;
    @Autowired
    ConnectionFactory connectionFactory;

    @Test
    void aGreetingSentWithJmsTemplateReachesTheJmsListener() throws Exception {
        greetings.send("hello from Boot 4");
        assertThat(greetings.nextReceived(Duration.ofSeconds(10))).isEqualTo("hello from Boot 4");
    }

    @Test
    void bootBuiltItsJmsTemplateOnTheStartersPoolAndRunsOnNetty42() {
        assertThat(connectionFactory).isInstanceOf(PooledConnectionFactory.class);
        assertThat(jmsTemplate.getConnectionFactory()).isSameAs(connectionFactory);
        assertThat(io.netty.util.Version.identify().get("netty-common").artifactVersion()).startsWith("4.2.");
    }
}
