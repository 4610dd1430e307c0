package io.tunnelmq.server;

import io.tunnelmq.server.net.TlsSettings;
import io.tunnelmq.server.security.CertificateUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.security.auth.x500.X500Principal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TLS settings: --tls-* flags and tls.* keys (flags win, key by key), checked, passwords never shown. */
@Timeout(10)
class TlsConfigTest {
    @TempDir
    Path dir;

    @Test
    void noTlsByDefault() {
        assertThat(BrokerConfig.defaults().tls()).isNull();
        assertThat(BrokerArguments.parse(new String[] {"--port", "0"}).config().tls()).isNull();
    }

    @Test
    void theConfigFileSetsTlsAndFlagsWinKeyByKey() throws Exception {
        Path file = dir.resolve("broker.properties");
        Files.writeString(file, String.join("\n", "tls.port=9443", "tls.keystore=/etc/tmq/broker.p12",
                "tls.keystorePassword=file-secret", "tls.clientAuth=want", "tls.truststore=/etc/tmq/clients.p12",
                "tls.truststorePassword=trust-secret", "tls.certificateUsers=/etc/tmq/certificate-users.properties",
                "tls.only=true", ""));
        TlsSettings fromFile = BrokerConfigFile.apply(BrokerConfig.defaults(), file).tls();
        assertThat(fromFile).isEqualTo(new TlsSettings(9443, Path.of("/etc/tmq/broker.p12"), "file-secret",
                TlsSettings.ClientAuth.WANT, Path.of("/etc/tmq/clients.p12"), "trust-secret",
                Path.of("/etc/tmq/certificate-users.properties"), true));
        assertThat(fromFile.toString()).doesNotContain("file-secret").doesNotContain("trust-secret");

        TlsSettings flagged = BrokerArguments.parse(new String[] {"--config", file.toString(), "--tls-port", "9444",
                "--tls-client-auth", "need", "--tls-keystore-password", "flag-secret"}).config().tls();
        assertThat(flagged.port()).isEqualTo(9444);
        assertThat(flagged.clientAuth()).isEqualTo(TlsSettings.ClientAuth.NEED);
        assertThat(flagged.keyStorePassword()).isEqualTo("flag-secret");
        assertThat(flagged.keyStore()).isEqualTo(Path.of("/etc/tmq/broker.p12"));
        assertThat(flagged.plainDisabled()).isTrue();
    }

    @Test
    void flagsAloneSetTls() {
        TlsSettings tls = BrokerArguments.parse(new String[] {"--tls-port", "0", "--tls-keystore", "b.p12",
                "--tls-only"}).config().tls();
        assertThat(tls).isEqualTo(new TlsSettings(0, Path.of("b.p12"), "").withPlainDisabled(true));
    }

    @Test
    void badTlsSettingsAreStartupErrorsThatNameThem() throws Exception {
        assertThatThrownBy(() -> BrokerArguments.parse(new String[] {"--tls-port", "9443"}))
                .hasMessageContaining("key store");
        assertThatThrownBy(() -> BrokerArguments.parse(new String[] {"--tls-port", "70000", "--tls-keystore", "k"}))
                .hasMessageContaining("--tls-port '70000'");
        assertThatThrownBy(() -> BrokerArguments.parse(new String[] {"--tls-port", "1", "--tls-keystore", "k",
                "--tls-client-auth", "maybe"})).hasMessageContaining("none, want");
        assertThatThrownBy(() -> BrokerArguments.parse(new String[] {"--tls-port", "1", "--tls-keystore", "k",
                "--tls-certificate-users", "u"})).hasMessageContaining("--tls-client-auth");
        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "tls.keystorPassword=x\n");
        assertThatThrownBy(() -> BrokerConfigFile.apply(BrokerConfig.defaults(), file))
                .hasMessageContaining("unknown key 'tls.keystorPassword'").hasMessageContaining("tls.keystorePassword");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Broker.run(new String[] {"--port", "0", "--http-port", "0", "--tls-port", "0", "--tls-keystore",
                        dir.resolve("missing.p12").toString(), "--tls-keystore-password", "cli-secret"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                new CountDownLatch(0));
        assertThat(code).isEqualTo(Broker.EXIT_CANNOT_START);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing.p12").contains("does not exist")
                .doesNotContain("cli-secret");
    }

    @Test
    void certificateSubjectsMapToUsersAsX500Names() throws Exception {
        Path file = dir.resolve("certificate-users.properties");
        Files.writeString(file, "alice=CN=alice,O=Example\nbob = cn=bob, o=Example, c=DE\n");
        CertificateUsers users = CertificateUsers.load(file);
        assertThat(users.userOf(new X500Principal("CN=alice, O=Example"))).isEqualTo("alice");
        assertThat(users.userOf(new X500Principal("CN=bob,O=Example,C=DE"))).isEqualTo("bob");
        assertThat(users.userOf(new X500Principal("CN=mallory,O=Example"))).isNull();

        assertThatThrownBy(() -> new CertificateUsers(Map.of("a", "CN=x", "b", "cn=x")))
                .hasMessageContaining("same certificate subject");
        assertThatThrownBy(() -> new CertificateUsers(Map.of("a", "not a name")))
                .hasMessageContaining("user 'a'").hasMessageContaining("not a certificate subject");
    }
}
