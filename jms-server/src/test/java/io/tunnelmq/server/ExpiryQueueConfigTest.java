package io.tunnelmq.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The expiry queue setting from the API and from broker.properties. */
@Timeout(10)
class ExpiryQueueConfigTest {

    @Test
    void expiredMessagesAreDroppedUnlessAnExpiryQueueIsSet() {
        BrokerConfig config = BrokerConfig.defaults();
        assertThat(config.expiryQueue()).isNull();
        BrokerConfig moving = config.withExpiryQueue("ExpiryQueue");
        assertThat(moving.expiryQueue()).isEqualTo("ExpiryQueue");
        assertThat(moving.withPort(0).withQueueMaxBytes("q", 10).withMaxDeliveryCount(3).expiryQueue())
                .as("kept by every copy").isEqualTo("ExpiryQueue");
        assertThat(moving.withExpiryQueue(" ").expiryQueue()).as("blank means drop").isNull();
    }

    @Test
    void theConfigFileSetsTheExpiryQueue(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broker.properties");
        Files.writeString(file, "expiryQueue=Expired.All\n");
        assertThat(BrokerConfigFile.apply(BrokerConfig.defaults(), file).expiryQueue()).isEqualTo("Expired.All");
    }
}
