package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnection;
import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.TunnelConnectionListener;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.security.PasswdCommand;
import io.tunnelmq.server.security.PasswordFile;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients of a broker with a users file lose it and go on at another, logging in there again with their credentials:
 * the second broker has remembered no login (as a restarted one), so their logins arrive at once, as after a restart,
 * and all pass within the clients' timeouts.
 */
@Timeout(90)
class AuthenticatedFailoverTest {
    private static final int CLIENTS = 30;
    private static final String PASSWORD = "wonder land";

    @TempDir
    Path dir;
    private final List<EmbeddedBroker> brokers = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Connection c : connections) {
            c.close();
        }
        brokers.forEach(EmbeddedBroker::close);
    }

    /** A broker with its own copy of the users file: it remembers no login of the other's. */
    private EmbeddedBroker start(Path users) {
        EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0),
                PasswordFile.load(users, false));
        brokers.add(broker);
        return broker;
    }

    @Test
    void clientsOfOneUserAllLogInAgainAtTheBrokerTheyFailOverTo() throws Exception {
        Path users = dir.resolve("users.properties");
        assertThat(PasswdCommand.run(new String[]{users.toString(), "alice"},
                new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)), null,
                new PrintStream(new ByteArrayOutputStream()), System.err)).isZero();
        EmbeddedBroker first = start(users);
        EmbeddedBroker second = start(users);
        TunnelConnectionFactory factory = new TunnelConnectionFactory("tmq://" + first.host() + ":" + first.port()
                + "," + second.host() + ":" + second.port() + "?randomize=false&reconnectDelay=20");
        CountDownLatch restored = new CountDownLatch(CLIENTS);
        List<MessageConsumer> consumers = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Connection connection = factory.createConnection("alice", PASSWORD);
            connections.add(connection);
            ((TunnelConnection) connection).setConnectionListener(new TunnelConnectionListener() {
                @Override
                public void restored(String brokerAddress) {
                    restored.countDown();
                }
            });
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            consumers.add(session.createConsumer(session.createQueue("q" + i)));
            connection.start();
        }
        assertThat(first.management().counters().authFailures()).isZero();

        first.close();
        assertThat(restored.await(60, TimeUnit.SECONDS)).as("every client back").isTrue();

        try (Connection sender = new TunnelConnectionFactory(second.url()).createConnection("alice", PASSWORD)) {
            Session session = sender.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(null);
            for (int i = 0; i < CLIENTS; i++) {
                producer.send(session.createQueue("q" + i), session.createTextMessage("after " + i));
            }
        }
        for (int i = 0; i < CLIENTS; i++) {
            Message received = consumers.get(i).receive(10_000);
            assertThat(received).as("client " + i + " consumes at the second broker").isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) received).getText()).isEqualTo("after " + i);
        }
        assertThat(second.management().counters().authFailures()).isZero();
        assertThat(second.management().counters().loginsOverdue()).isZero();
    }
}
