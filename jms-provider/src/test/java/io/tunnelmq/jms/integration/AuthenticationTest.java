package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.security.PasswordFile;
import io.tunnelmq.server.security.PeerLimits;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.ResourceAllocationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A broker with a users file: wrong credentials are a JMSSecurityException, right ones connect. */
@Timeout(60)
class AuthenticationTest {
    private EmbeddedBroker broker;

    private TunnelConnectionFactory start(boolean allowAnonymous) {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0),
                new PasswordFile(Map.of("guest", "guest"), allowAnonymous));
        return new TunnelConnectionFactory(broker.url());
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void wrongCredentialsAreASecurityException() {
        TunnelConnectionFactory factory = start(false);
        assertThatThrownBy(() -> factory.createConnection("invalid", "invalid"))
                .isInstanceOf(JMSSecurityException.class).hasMessageContaining("invalid");
        assertThatThrownBy(() -> factory.createConnection("guest", "wrong")).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> factory.createContext("invalid", "invalid"))
                .isInstanceOf(JMSSecurityRuntimeException.class);
        assertThatThrownBy(factory::createConnection).isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void rightCredentialsConnectAndAnonymousClientsOnlyWhenAllowed() throws Exception {
        TunnelConnectionFactory factory = start(true);
        try (Connection c = factory.createConnection("guest", "guest")) {
            c.start();
            assertThat(c.createSession().createQueue("q")).isNotNull();
        }
        try (JMSContext context = factory.createContext()) {
            context.createProducer().send(context.createQueue("q"), "anonymous is fine here");
        }
        assertThat(broker.queueDepth("q")).isEqualTo(1);
    }

    @Test
    void aBrokerAtItsConnectionLimitRefusesWithAClearMessage() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0)
                .withPeerLimits(PeerLimits.DEFAULTS.withMaxConnectionsPerAddress(1)));
        TunnelConnectionFactory factory = new TunnelConnectionFactory(broker.url());
        try (Connection first = factory.createConnection()) {
            assertThatThrownBy(factory::createConnection).isInstanceOf(ResourceAllocationException.class)
                    .hasMessageContaining("maximum of 1 connections");
            first.start(); // the first is not disturbed
        }
    }
}
