package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.security.PasswordFile;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.tunnelmq.jms.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The permissions file is read again when it changes; brokers without one stay open. */
@Timeout(60)
class AuthorizationReloadTest {
    @TempDir
    Path dir;
    private EmbeddedBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static PasswordFile users() {
        return new PasswordFile(Map.of("alice", "a", "bob", "b"), false);
    }

    @Test
    void aChangedFileAppliesToNewOperationsAndAnOpenConsumerKeepsRunning() throws Exception {
        Path file = dir.resolve("permissions");
        Files.writeString(file, "role.users = alice, bob\nqueue.work.send,consume,create = users\n");
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0).withPermissionsFile(file), users());
        TunnelConnectionFactory factory = new TunnelConnectionFactory(broker.url());
        try (Connection bob = factory.createConnection("bob", "b")) {
            bob.start();
            Session session = bob.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("work"));
            assertThatThrownBy(() -> session.createProducer(session.createQueue("audit")))
                    .isInstanceOf(JMSSecurityException.class);

            Files.writeString(file, "role.users = alice\nrole.auditors = bob\n"
                    + "queue.work.send,consume,create = users\nqueue.audit.send,create = auditors\n");
            eventually("bob may send to audit once the file says so", Duration.ofSeconds(20), () -> {
                try {
                    session.createProducer(session.createQueue("audit")).close();
                    return true;
                } catch (JMSSecurityException e) {
                    return false;
                } catch (JMSException e) {
                    throw new AssertionError(e);
                }
            });
            assertThatThrownBy(() -> session.createConsumer(session.createQueue("work")))
                    .isInstanceOf(JMSSecurityException.class).hasMessageContaining("(permission consume)");
            // revoked, but already open: it keeps running until it is closed
            try (JMSContext alice = factory.createContext("alice", "a")) {
                alice.createProducer().send(alice.createQueue("work"), "still yours");
            }
            assertThat(((TextMessage) consumer.receive(5_000)).getText()).isEqualTo("still yours");
        }
    }

    @Test
    void aBrokerWithUsersButNoPermissionsFileLetsEveryUserDoEverything() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0), users());
        everythingWorks(new TunnelConnectionFactory(broker.url()), "bob", "b");
    }

    @Test
    void aBrokerWithoutUsersStaysOpen() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        everythingWorks(new TunnelConnectionFactory(broker.url()), null, null);
    }

    private static void everythingWorks(TunnelConnectionFactory factory, String user, String password)
            throws Exception {
        try (Connection c = factory.createConnection(user, password)) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("alice.private")).send(s.createTextMessage("x"));
            s.createProducer(null).send(s.createQueue("DLQ.alice.private"), s.createTextMessage("y"));
            assertThat(s.createBrowser(s.createQueue("alice.private")).getEnumeration().hasMoreElements()).isTrue();
            assertThat(s.createConsumer(s.createQueue("alice.private")).receive(5_000)).isNotNull();
            s.createConsumer(s.createTemporaryQueue()).close();
        }
    }
}
