package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.jms.integration.BrokerClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The harness the failover tests stand on: a broker process killed with SIGKILL comes back on the same port with the
 * same data directory, a persistent message sent before the kill is still there, and an unknown broker argument stops
 * the start with the broker's own message. Logs how long a broker JVM takes to start.
 */
@Timeout(60)
class BrokerProcessTest {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerProcessTest.class);

    @TempDir
    Path data;

    @Test
    void aKilledBrokerComesBackOnTheSamePortWithItsPersistentMessages() throws Exception {
        int port = BrokerProcess.freePort();
        long starting = System.nanoTime();
        try (BrokerProcess broker = BrokerProcess.start(data, port, List.of("-Xmx256m"), List.of())) {
            long started = System.nanoTime();
            String url = broker.url();
            assertThat(url).endsWith(":" + port);
            send(url, "before the kill");

            broker.kill();
            assertThat(broker.isAlive()).isFalse();
            long restarting = System.nanoTime();
            broker.restart();
            long restarted = System.nanoTime();
            LOG.info("a broker JVM started in {} ms, and in {} ms after kill -9 (until its 'listening on' line)",
                    TimeUnit.NANOSECONDS.toMillis(started - starting),
                    TimeUnit.NANOSECONDS.toMillis(restarted - restarting));

            assertThat(broker.url()).isEqualTo(url);
            assertThat(broker.listeningNanos()).isBetween(restarting, restarted);
            try (Connection c = new TunnelConnectionFactory(url).createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue("harness"));
                assertThat(text(consumer.receive(5_000))).isEqualTo("before the kill");
            }
            assertThat(broker.output()).contains("killed with SIGKILL");
        }
    }

    @Test
    void anUnknownBrokerArgumentFailsTheStartWithTheBrokersMessage() {
        assertThatThrownBy(() -> BrokerProcess.start(data, 0, List.of(), List.of("--no-such-option")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("unknown option '--no-such-option'");
    }

    private static void send(String url, String body) throws JMSException {
        try (Connection c = new TunnelConnectionFactory(url).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("harness")).send(s.createTextMessage(body));
        }
    }
}
