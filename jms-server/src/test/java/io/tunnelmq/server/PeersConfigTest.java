package io.tunnelmq.server;

import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Welcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The broker setting {@code peers}: parsed and checked from the API, broker.properties and --peers; sent in Welcome. */
@Timeout(10)
class PeersConfigTest {
    @TempDir
    Path dir;

    @Test
    void noPeersByDefaultAndEveryCopyKeepsThem() {
        assertThat(BrokerConfig.defaults().peers()).isEmpty();
        BrokerConfig config = BrokerConfig.defaults().withPeers(List.of("b2:9494", "[::1]:9495"));
        assertThat(config.withPort(0).withMaxDeliveryCount(3).withExpiryQueue("E").peers())
                .containsExactly("b2:9494", "[::1]:9495");
    }

    @Test
    void theConfigFileAndTheCommandLineSetThePeersAndTheFlagWins() throws Exception {
        Path file = dir.resolve("broker.properties");
        Files.writeString(file, "peers = b2.example:9494 , 10.0.0.3:19494\n");
        assertThat(BrokerConfigFile.apply(BrokerConfig.defaults(), file).peers())
                .containsExactly("b2.example:9494", "10.0.0.3:19494");
        assertThat(BrokerArguments.parse(new String[] {"--config", file.toString(), "--peers", "b3:1"}).config()
                .peers()).containsExactly("b3:1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"b2", "b2:", ":9494", "b2:0", "b2:65536", "b2:port", "b2:9494,,b3:9494", "::1:9494",
            "b 2:9494"})
    void aBadPeerIsAStartupErrorNamingTheSettingAndTheEntry(String value) throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "peers=" + value + "\n");
        assertThatThrownBy(() -> BrokerConfigFile.apply(BrokerConfig.defaults(), file))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("peers='" + value + "'")
                .hasMessageContaining("peer '");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Broker.run(new String[] {"--port", "0", "--peers", value}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0));
        assertThat(code).isEqualTo(Broker.EXIT_BAD_ARGUMENTS);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: --peers: peer '");
    }

    @Test
    void theApiRefusesABadPeerToo() {
        assertThatThrownBy(() -> BrokerConfig.defaults().withPeers(List.of("b2:99999")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range 1..65535");
    }

    @Test
    void welcomeNamesThePeersToClientsThatReadThemAndToNoOther() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerFixture.config()
                .withPeers(List.of("b2:9494", "b3:9495")));
             TestClient reader = TestClient.connect(broker);
             TestClient older = TestClient.connect(broker)) {
            Welcome welcome = reader.hello(null, 0, Map.of(Hello.OPTION_PEERS, true));
            assertThat(welcome.peers()).containsExactly("b2:9494", "b3:9495");
            assertThat(older.hello(null, 0, Map.of()).peers()).as("an older client would refuse the field").isEmpty();
        }
    }
}
