package io.tunnelmq.bench.logins;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.security.PasswordFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class LoginWaveTest {

    @Test
    void aWaveCountsWhoGotInAndWhoWasRefused(@TempDir Path dir) throws Exception {
        Path users = UsersFile.write(dir.resolve("users.properties"), 3);
        assertThat(PasswordFile.load(users, false).accepts("user2", UsersFile.PASSWORD)).isTrue();
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.defaults().withHost("127.0.0.1").withPort(0),
                PasswordFile.load(users, false))) {
            TunnelConnectionFactory factory = new TunnelConnectionFactory(broker.url());
            WaveResult right = LoginWave.open(factory, 6, i -> UsersFile.user(i % 3), UsersFile.PASSWORD);
            assertThat(right.in()).isEqualTo(6);
            assertThat(right.failed()).isZero();
            assertThat(right.firstFailure()).isNull();
            assertThat(right.p50Millis()).isLessThanOrEqualTo(right.p99Millis());
            assertThat(right.p99Millis()).isLessThanOrEqualTo(right.lastMillis());

            WaveResult unknown = LoginWave.open(factory, 2, i -> "nobody" + i, UsersFile.PASSWORD);
            assertThat(unknown.in()).isZero();
            assertThat(unknown.failed()).isEqualTo(2);
            assertThat(unknown.firstFailure()).contains("as nobody").contains("wrong user name or password");
        }
    }

    @Test
    void theTableHasARowPerWave() {
        WaveResult wave = new WaveResult(1_000, 302, 698, 10_500, 10_000, 10_400, "client 7: timeout");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<LoginsCommand.Row> rows = List.of(new LoginsCommand.Row(LoginsOptions.Part.DISTINCT, 60_000, 1, wave));
        LoginsCommand.print(rows, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList().get(1).split(" +"))
                .containsExactly("distinct", "60000", "1", "1000", "302", "698", "10500", "10000", "10400", "29");
        assertThat(LoginsCommand.csvRows(rows)).containsExactly(
                List.of("distinct", "60000", "1", "1000", "302", "698", "10500", "10000", "10400", "28.8"));
    }
}
