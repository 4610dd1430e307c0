package io.tunnelmq.jms.tls;

import io.tunnelmq.jms.ConnectionOptions;
import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.management.ConnectionView;
import io.tunnelmq.server.net.TlsSettings;
import io.tunnelmq.server.security.PasswordFile;
import io.tunnelmq.server.security.PeerLimits;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.tunnelmq.jms.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code tmqs://} against the broker's TLS port, with certificates made at test time: round trip, failover lists,
 * mutual TLS with a certificate that logs a user in, and the failures a user must understand at once (an untrusted
 * broker, a host name the certificate does not name, the wrong port for the scheme).
 */
@Timeout(60)
class TlsConnectionTest {
    private static final String BROKER_PASSWORD = "broker-store-s3cret";
    private static final String CLIENT_PASSWORD = "alice-store-s3cret";
    private static TestCertificates.Identity brokerId;
    private static TestCertificates.Identity stranger;
    private static TestCertificates.Identity alice;

    private EmbeddedBroker broker;

    @BeforeAll
    static void certificates() throws Exception {
        TestCertificates certificates = new TestCertificates();
        brokerId = certificates.identity("broker", "CN=broker,O=TunnelMQ Test", BROKER_PASSWORD, "localhost");
        stranger = certificates.identity("stranger", "CN=stranger,O=Elsewhere", "stranger-pw", "localhost");
        alice = certificates.identity("alice", "CN=alice,O=Example", CLIENT_PASSWORD);
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private EmbeddedBroker start(TlsSettings tls) {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0).withTls(tls));
        return broker;
    }

    private static TlsSettings tls() {
        return new TlsSettings(0, brokerId.keyStore(), BROKER_PASSWORD);
    }

    private String trusting(String host, int port) {
        return "tmqs://" + host + ":" + port + "?trustStore=" + brokerId.trustStore() + "&trustStorePassword="
                + BROKER_PASSWORD;
    }

    private static String roundTrip(TunnelConnectionFactory factory) {
        try (JMSContext context = factory.createContext()) {
            Queue queue = context.createQueue("tls.q");
            context.createProducer().send(queue, "over TLS");
            return context.createConsumer(queue).receiveBody(String.class, 10_000);
        }
    }

    @Test
    void messagesRoundTripOverTlsAndThePlainPortStaysOpen() throws Exception {
        start(tls());
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        // a failover list: the first broker is down, the second is the TLS port
        String url = "tmqs://localhost:" + deadPort + ",localhost:" + broker.tlsPort() + "?trustStore="
                + brokerId.trustStore() + "&trustStorePassword=" + BROKER_PASSWORD;
        assertThat(roundTrip(new TunnelConnectionFactory(url))).isEqualTo("over TLS");
        assertThat(roundTrip(new TunnelConnectionFactory(broker.url()))).isEqualTo("over TLS");
        assertThat(broker.tlsUrl()).startsWith("tmqs://");
        assertThat(broker.management().counters().tlsHandshakes()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void heartbeatsGoOverTlsBothWaysAndKeepAnIdleConnectionOpen() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0).withTls(tls()).withMaxHeartbeatMillis(50));
        TunnelConnectionFactory factory = new TunnelConnectionFactory(trusting("localhost", broker.tlsPort())
                + "&heartbeat=50&reconnect=false");
        List<JMSException> failures = new CopyOnWriteArrayList<>();
        try (Connection connection = factory.createConnection()) {
            connection.setExceptionListener(failures::add);
            ConnectionView start = broker.management().openConnections().get(0);
            // each side beats about once an interval, a record of some 30 bytes: twenty of them each way
            eventually("twenty heartbeat records each way", Duration.ofSeconds(20), () -> {
                ConnectionView now = broker.management().openConnections().get(0);
                return now.bytesIn() - start.bytesIn() > 20 * 30 && now.bytesOut() - start.bytesOut() > 20 * 30;
            });
            assertThat(failures).as("each side decrypted the other's heartbeats").isEmpty();
            assertThat(broker.connectionCount()).isOne();
            Session session = connection.createSession();
            Queue queue = session.createQueue("tls.beats");
            session.createProducer(queue).send(session.createTextMessage("after the beats"));
            connection.start();
            assertThat(((TextMessage) session.createConsumer(queue).receive(10_000)).getText())
                    .isEqualTo("after the beats");
        }
    }

    @Test
    void tlsOnlyBrokerOpensNoPlainPort() {
        start(tls().withPlainDisabled(true));
        assertThat(broker.url()).isEqualTo(broker.tlsUrl());
        assertThat(roundTrip(new TunnelConnectionFactory(trusting("localhost", broker.tlsPort())))).isEqualTo("over TLS");
    }

    @Test
    void aClientCertificateLogsInTheUserItMapsTo() throws Exception {
        Path users = Files.writeString(brokerId.keyStore().resolveSibling("certificate-users.properties"),
                "alice=CN=alice, O=Example\n");
        TlsSettings tls = tls().withClientAuth(TlsSettings.ClientAuth.WANT, alice.trustStore(), CLIENT_PASSWORD)
                .withCertificateUsers(users);
        // only bob has a password, and anonymous clients are refused
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0).withTls(tls),
                new PasswordFile(Map.of("bob", "bobs-password"), false));
        String withCertificate = trusting("localhost", broker.tlsPort()) + "&keyStore=" + alice.keyStore()
                + "&keyStorePassword=" + CLIENT_PASSWORD;
        assertThat(roundTrip(new TunnelConnectionFactory(withCertificate))).isEqualTo("over TLS");

        TunnelConnectionFactory noCertificate = new TunnelConnectionFactory(trusting("localhost", broker.tlsPort())
                + "&reconnect=false");
        assertThatThrownBy(noCertificate::createConnection).isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("the broker at tmqs://localhost:" + broker.tlsPort() + " refused the connection");
        // a certificate does not stand in for another user's password
        assertThatThrownBy(() -> new TunnelConnectionFactory(withCertificate + "&reconnect=false")
                .createConnection("bob", "wrong")).isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void aBrokerThatNeedsACertificateRefusesAClientWithoutOne() {
        start(tls().withClientAuth(TlsSettings.ClientAuth.NEED, alice.trustStore(), CLIENT_PASSWORD));
        TunnelConnectionFactory noCertificate = new TunnelConnectionFactory(trusting("localhost", broker.tlsPort())
                + "&reconnect=false");
        assertThatThrownBy(noCertificate::createConnection).isInstanceOf(JMSException.class)
                .hasMessageContaining("certificate");
        String withCertificate = trusting("localhost", broker.tlsPort()) + "&keyStore=" + alice.keyStore()
                + "&keyStorePassword=" + CLIENT_PASSWORD;
        assertThat(roundTrip(new TunnelConnectionFactory(withCertificate))).isEqualTo("over TLS");
    }

    @Test
    void anUntrustedBrokerIsAClearErrorThatNamesNoPassword() throws Exception {
        start(tls());
        String url = "tmqs://localhost:" + broker.tlsPort() + "?reconnect=false&trustStore=" + stranger.trustStore()
                + "&trustStorePassword=stranger-pw";
        assertThatThrownBy(() -> new TunnelConnectionFactory(url).createConnection()).isInstanceOf(JMSException.class)
                .hasMessageContaining("certificate is not trusted").hasMessageContaining("trustStore")
                .hasMessageNotContaining("stranger-pw");
        // the broker hears of it from the client's alert, a moment after the client has failed
        eventually("the broker counted the failed handshake", Duration.ofSeconds(10),
                () -> broker.management().counters().tlsHandshakeFailures() >= 1);

        String wrongPassword = trusting("localhost", broker.tlsPort()).replace(BROKER_PASSWORD, "not-the-password")
                + "&reconnect=false";
        assertThatThrownBy(() -> new TunnelConnectionFactory(wrongPassword).createConnection())
                .isInstanceOf(JMSException.class).hasMessageContaining(brokerId.trustStore().toString())
                .hasMessageNotContaining("not-the-password");
        assertThat(ConnectionOptions.parse(wrongPassword).toString()).doesNotContain("not-the-password");
    }

    @Test
    void theHostNameMustMatchTheCertificateUnlessVerifyHostIsOff() {
        start(tls());
        String byAddress = trusting("127.0.0.1", broker.tlsPort()) + "&reconnect=false";
        assertThatThrownBy(() -> new TunnelConnectionFactory(byAddress).createConnection())
                .isInstanceOf(JMSException.class).hasMessageContaining("does not name the host")
                .hasMessageContaining("verifyHost");
        assertThat(roundTrip(new TunnelConnectionFactory(byAddress + "&verifyHost=false"))).isEqualTo("over TLS");
    }

    @Test
    void theWrongSchemeForThePortFailsAtOnceSayingSo() {
        start(tls());
        // a connect timeout far beyond the test's: only an answer from the broker can end these
        TunnelConnectionFactory plainOnTls = new TunnelConnectionFactory("tmq://localhost:" + broker.tlsPort()
                + "?reconnect=false&connectTimeout=120000");
        assertThatThrownBy(plainOnTls::createConnection).isInstanceOf(JMSException.class)
                .hasMessageContaining("speaks TLS").hasMessageContaining("tmqs://");
        TunnelConnectionFactory tlsOnPlain = new TunnelConnectionFactory(trusting("localhost", broker.port())
                + "&reconnect=false&connectTimeout=120000");
        assertThatThrownBy(tlsOnPlain::createConnection).isInstanceOf(JMSException.class)
                .hasMessageContaining("does not speak TLS");
    }

    @Test
    void aPeerThatNeverFinishesTheTlsHandshakeIsClosedAtTheDeadline() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0).withTls(tls())
                .withPeerLimits(PeerLimits.DEFAULTS.withHandshakeTimeoutMillis(300)));
        try (Socket socket = new Socket("127.0.0.1", broker.tlsPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(new byte[] {22, 3, 1}); // the start of a TLS record, then nothing
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            assertThat(in.read()).as("the broker closed the connection").isEqualTo(-1);
        }
        eventually("the broker counted the failed handshake", Duration.ofSeconds(10),
                () -> broker.management().counters().tlsHandshakeFailures() == 1);
    }

    @Test
    void aBrokerWithAWrongKeyStorePasswordDoesNotStartAndDoesNotShowThePassword() {
        TlsSettings wrong = new TlsSettings(0, brokerId.keyStore(), "wrong-store-password");
        assertThatThrownBy(() -> EmbeddedBroker.start(BrokerConfig.defaults().withPort(0).withTls(wrong)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(brokerId.keyStore().toString())
                .hasMessageNotContaining("wrong-store-password");
        assertThat(BrokerConfig.defaults().withTls(wrong).toString()).doesNotContain("wrong-store-password");
    }

    @Test
    void theStandardSystemPropertiesServeWhenTheUrlNamesNoStore() {
        start(tls().withClientAuth(TlsSettings.ClientAuth.NEED, alice.trustStore(), CLIENT_PASSWORD));
        Map<String, String> properties = Map.of("javax.net.ssl.trustStore", brokerId.trustStore().toString(),
                "javax.net.ssl.trustStorePassword", BROKER_PASSWORD, "javax.net.ssl.trustStoreType", "PKCS12",
                "javax.net.ssl.keyStore", alice.keyStore().toString(), "javax.net.ssl.keyStorePassword",
                CLIENT_PASSWORD);
        Map<String, String> before = new java.util.HashMap<>();
        properties.keySet().forEach(k -> before.put(k, System.getProperty(k)));
        try {
            properties.forEach(System::setProperty);
            assertThat(roundTrip(new TunnelConnectionFactory("tmqs://localhost:" + broker.tlsPort())))
                    .isEqualTo("over TLS");
        } finally {
            before.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }

    @Test
    void theTlsPortCountsTowardsTheConnectionLimits() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0).withTls(tls())
                .withPeerLimits(PeerLimits.DEFAULTS.withMaxConnectionsPerAddress(2)));
        TunnelConnectionFactory overTls = new TunnelConnectionFactory(trusting("localhost", broker.tlsPort())
                + "&reconnect=false");
        try (jakarta.jms.Connection first = overTls.createConnection();
             jakarta.jms.Connection second = new TunnelConnectionFactory(broker.url()).createConnection()) {
            assertThatThrownBy(overTls::createConnection).isInstanceOf(JMSException.class)
                    .hasMessageContaining("closed the connection before the TLS handshake completed")
                    .hasMessageContaining("--max-connections-per-address");
            first.createSession().close(); // the ones admitted are served
        }
        eventually("both slots freed", Duration.ofSeconds(10), () -> broker.connectionCount() == 0);
        assertThat(roundTrip(overTls)).isEqualTo("over TLS");
    }

    @Test
    void theTlsPortKeepsThePreLoginFrameLimit() throws Exception {
        start(tls());
        javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(brokerId.trustStore())) {
            store.load(in, BROKER_PASSWORD.toCharArray());
        }
        trust.init(store);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        try (Socket socket = context.getSocketFactory().createSocket("localhost", broker.tlsPort())) {
            socket.setSoTimeout(20_000);
            // a 16 MiB length prefix, then a trickle: the broker must refuse it before buffering anything like that
            socket.getOutputStream().write(new byte[] {1, 0, 0, 0, 0, 0, 0, 0});
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readAllBytes(); // the error frame, then the broker closes
            assertThat(new String(answer, java.nio.charset.StandardCharsets.UTF_8)).contains("exceeds");
        }
    }
}
