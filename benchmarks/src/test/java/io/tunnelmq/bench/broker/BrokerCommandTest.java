package io.tunnelmq.bench.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class BrokerCommandTest {

    @Test
    void aConnectionLimitIsRefusedForArtemisWhichHasNone(@TempDir Path dir) {
        assertThatThrownBy(() -> BrokerCommand.run(List.of("artemis", "--port", "0", "--data", dir.toString(),
                "--max-connections", "11000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--max-connections is for the tunnelmq broker only");
    }

    @Test
    void aUsersFileIsRefusedForArtemisAndALoginCacheWithoutOne(@TempDir Path dir) {
        assertThatThrownBy(() -> BrokerCommand.run(List.of("artemis", "--port", "0", "--data", dir.toString(),
                "--users", dir.resolve("users.properties").toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--users is for the tunnelmq broker only");
        assertThatThrownBy(() -> BrokerCommand.run(List.of("tunnelmq", "--port", "0", "--data", dir.toString(),
                "--login-cache", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--login-cache needs --users");
    }

    @Test
    void aConnectionLimitMustBeANumber() {
        assertThatThrownBy(() -> BrokerCommand.run(List.of("tunnelmq", "--max-connections", "many")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--max-connections needs a whole number");
    }
}
