package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.ExitCode;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cluster command's options, and its load against one embedded broker (counts only: no timing is asserted). */
@Timeout(60)
class ClusterCommandTest {
    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> ClusterCommand.run(List.of("--brokers", "1,0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--brokers").hasMessageContaining("'0'");
        assertThatThrownBy(() -> ClusterCommand.run(List.of("--producers", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--producers");
        assertThatThrownBy(() -> ClusterCommand.run(List.of("--brokerz", "2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("brokerz");
    }

    @Test
    void helpNeedsNoBroker() throws Exception {
        assertThat(ClusterCommand.run(List.of("--help"))).isEqualTo(ExitCode.OK);
    }

    @Test
    void theLoadSpreadsClientsOverTheUrlsAndCountsWhatFlowed() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.defaults().withHost("127.0.0.1").withPort(0))) {
            ClusterLoad.Result result = new ClusterLoad(List.of(broker.url(), broker.url()), 2, 2, 128)
                    .run("cluster.smoke", Duration.ofMillis(200), Duration.ofMillis(500));
            assertThat(result.failures()).isEmpty();
            assertThat(result.sentPerSecond()).isPositive();
            assertThat(result.receivedPerSecond()).isPositive();
        }
    }
}
