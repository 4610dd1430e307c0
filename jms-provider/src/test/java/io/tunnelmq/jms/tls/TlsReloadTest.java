package io.tunnelmq.jms.tls;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.net.TlsSettings;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static io.tunnelmq.jms.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A certificate renewed while the broker runs: the key store file is replaced (as cert-manager or a renewal script
 * does), new connections get the new certificate, connections opened before keep working, and a file TLS cannot use
 * leaves the certificate in force.
 */
@Timeout(60)
class TlsReloadTest {
    private static final String PASSWORD = "store-s3cret";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aRenewedCertificateIsServedWithoutARestartAndOpenConnectionsKeepTheirs() throws Exception {
        TestCertificates certificates = new TestCertificates();
        TestCertificates.Identity before = certificates.identity("before", "CN=broker,O=Before", PASSWORD,
                Duration.ofDays(2), "localhost");
        TestCertificates.Identity after = certificates.identity("after", "CN=broker,O=After", PASSWORD,
                Duration.ofDays(90), "localhost");
        Path served = Files.copy(before.keyStore(), dir.resolve("broker.p12"));
        int httpPort;
        try (ServerSocket free = new ServerSocket(0)) {
            httpPort = free.getLocalPort();
        }
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0).withHttpPort(httpPort)
                .withTls(new TlsSettings(0, served, PASSWORD)))) {
            assertThat(scrapedExpiry(broker)).as("tunnelmq_tls_certificate_expiry_timestamp_seconds")
                    .isEqualTo(expiry(before));
            assertThat(broker.management().problems().now()).as("two days left").singleElement().asString()
                    .startsWith("the TLS certificate the broker serves expires on");
            TunnelConnectionFactory trustsBefore = trusting(broker, before);
            TunnelConnectionFactory trustsAfter = trusting(broker, after);
            assertThat(connects(trustsAfter)).isFalse();
            try (Connection open = trustsBefore.createConnection()) {
                open.start();
                Session session = open.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Queue queue = session.createQueue("tls.reload");
                MessageConsumer consumer = session.createConsumer(queue);

                replace(served, after.keyStore());
                eventually("the renewed certificate is served", WAIT, () -> connects(trustsAfter));
                assertThat(scrapedExpiry(broker)).isEqualTo(expiry(after));
                assertThat(broker.management().problems().now()).as("ninety days left").isEmpty();
                assertThat(connects(trustsBefore)).as("the old certificate is no longer served").isFalse();

                session.createProducer(queue).send(session.createTextMessage("over the session of before"));
                assertThat(((TextMessage) consumer.receive(10_000)).getText())
                        .as("a connection opened before keeps its session").isEqualTo("over the session of before");
            }

            assertThat(broker.management().counters().tlsReloads()).as("tunnelmq_tls_reloads_total").isOne();
            replace(served, Files.write(dir.resolve("half-copied.p12"), new byte[] {0x30, (byte) 0x82, 0x0a}));
            eventually("the unusable file is noticed", WAIT,
                    () -> broker.management().counters().tlsReloadFailures() == 1);
            assertThat(connects(trustsAfter)).as("a file TLS cannot use leaves the certificate in force").isTrue();
            assertThat(broker.management().problems().now()).singleElement().asString()
                    .startsWith(served + " changed, but TLS cannot use it")
                    .endsWith("new connections get the TLS they had until it is fixed");
            replace(served, before.keyStore());
            eventually("the watch carries on after a bad file", WAIT, () -> connects(trustsBefore));
            assertThat(broker.management().counters().tlsReloads()).isEqualTo(2);
            assertThat(broker.management().problems().now()).as("the refused file's problem is gone").singleElement()
                    .asString().startsWith("the TLS certificate the broker serves expires on");
        }
    }

    private static long scrapedExpiry(EmbeddedBroker broker) throws IOException, InterruptedException {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + broker.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        String gauge = "tunnelmq_tls_certificate_expiry_timestamp_seconds ";
        return metrics.body().lines().filter(l -> l.startsWith(gauge))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(gauge.length()).trim())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + gauge + "in " + metrics.body()));
    }

    private static long expiry(TestCertificates.Identity identity) {
        return identity.certificate().getNotAfter().toInstant().getEpochSecond();
    }

    private static TunnelConnectionFactory trusting(EmbeddedBroker broker, TestCertificates.Identity identity) {
        return new TunnelConnectionFactory("tmqs://localhost:" + broker.tlsPort() + "?trustStore="
                + identity.trustStore() + "&trustStorePassword=" + PASSWORD + "&reconnect=false&connectTimeout=5000");
    }

    private static boolean connects(TunnelConnectionFactory factory) {
        try (Connection connection = factory.createConnection()) {
            return connection != null;
        } catch (JMSException e) {
            return false;
        }
    }

    /** Replaces {@code file} at once with a copy of {@code with}. */
    private void replace(Path file, Path with) throws IOException {
        Path next = Files.copy(with, dir.resolve("next.p12"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
