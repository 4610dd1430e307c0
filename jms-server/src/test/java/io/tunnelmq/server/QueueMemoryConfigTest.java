package io.tunnelmq.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-queue memory limits from the API and from broker.properties. */
@Timeout(10)
class QueueMemoryConfigTest {

    @Test
    void everyQueueMayUseTheWholeMemoryLimitUnlessConfigured() {
        BrokerConfig config = BrokerConfig.defaults();
        assertThat(config.queueMaxBytes("any")).isZero();
        assertThat(config.memoryLimitBytes()).isPositive().isLessThanOrEqualTo(Runtime.getRuntime().maxMemory());

        BrokerConfig limited = config.withQueueMaxBytes(5_000).withQueueMaxBytes("orders.eu", 1_000);
        assertThat(limited.queueMaxBytes("orders.eu")).isEqualTo(1_000);
        assertThat(limited.queueMaxBytes("any")).isEqualTo(5_000);
        assertThat(limited.withPort(0).queueMaxBytes("orders.eu")).as("kept by every copy").isEqualTo(1_000);

        BrokerConfig lagged = limited.withConsumerLagBytes(700).withQueueMaxBytes("audit", 3_000).withQueueMaxBytes(9);
        assertThat(lagged.queueMemory()).as("each setting keeps the other two")
                .isEqualTo(new QueueMemoryLimits(9, java.util.Map.of("orders.eu", 1_000L, "audit", 3_000L), 700));
        assertThatThrownBy(() -> config.withQueueMaxBytes("", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queue name must not be empty");
    }

    @Test
    void theConfigFileSetsQueueLimits(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broker.properties");
        Files.writeString(file, "queueMaxBytes=2000000\nqueue.orders.eu.maxBytes=65536\n");
        BrokerConfig config = BrokerConfigFile.apply(BrokerConfig.defaults(), file);
        assertThat(config.queueMaxBytes("orders.eu")).isEqualTo(65_536);
        assertThat(config.queueMaxBytes("audit")).isEqualTo(2_000_000);
    }

    @Test
    void badLimitsAreRefusedWithTheKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broker.properties");
        Files.writeString(file, "queue.orders.maxBytes=0\n");
        assertThatThrownBy(() -> BrokerConfigFile.apply(BrokerConfig.defaults(), file))
                .hasMessageContaining("queue.orders.maxBytes=0 is out of range");
        Files.writeString(file, "queueMaxBytes=lots\n");
        assertThatThrownBy(() -> BrokerConfigFile.apply(BrokerConfig.defaults(), file))
                .hasMessageContaining("queueMaxBytes='lots' is not a whole number");
        assertThatThrownBy(() -> BrokerConfig.defaults().withQueueMaxBytes(-1))
                .hasMessageContaining("queueMaxBytes must be >= 0");
    }
}
