package io.tunnelmq.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --permissions FILE} and {@code permissions=}: a broken file stops the start, one without users is refused. */
@Timeout(30)
class PermissionsOptionTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Broker.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0));
    }

    @Test
    void theFlagAndTheConfigKeyNameTheFileAndTheFlagWins() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "alice=a\n");
        Path config = Files.writeString(dir.resolve("broker.properties"), "permissions=from-config\n");
        assertThat(BrokerArguments.parse(new String[]{"--users", users.toString(), "--config", config.toString()})
                .config().permissionsFile()).isEqualTo(Path.of("from-config"));
        assertThat(BrokerArguments.parse(new String[]{"--users", users.toString(), "--config", config.toString(),
                "--permissions", "flag"}).config().permissionsFile()).isEqualTo(Path.of("flag"));
        assertThat(BrokerArguments.parse(new String[]{"--users", users.toString()}).config().permissionsFile())
                .isNull();
    }

    @Test
    void permissionsWithoutUsersAreRefused() {
        assertThatThrownBy(() -> BrokerArguments.parse(new String[]{"--permissions", "p"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a users file");
    }

    @Test
    void aBrokenPermissionsFileFailsTheStartWithExitOneNamingTheLine() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "alice=a\n");
        Path permissions = Files.writeString(dir.resolve("permissions"), "role.r = alice\n\nqueue.q.sned = r\n");
        assertThat(run("--port", "0", "--http-port", "0", "--data", dir.resolve("data").toString(), "--users",
                users.toString(), "--permissions", permissions.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("permissions file " + permissions + " line 3")
                .contains("unknown permission 'sned'");
    }
}
