package io.tunnelmq.bench.logins;

import io.tunnelmq.bench.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class LoginsOptionsTest {

    @Test
    void theDefaultsAreTheReadmesStorms() {
        LoginsOptions o = LoginsOptions.from(CommandLine.parse(List.of()));
        assertThat(o.parts()).containsExactly(LoginsOptions.Part.ONE_USER, LoginsOptions.Part.DISTINCT);
        assertThat(o.clients()).isEqualTo(500);
        assertThat(o.loginCaches()).containsExactly(60_000L, 0L);
        assertThat(o.waves()).containsExactly(1_000, 100);
        assertThat(o.users()).as("one per distinct client").isEqualTo(1_100);
        assertThat(o.brokerHeap()).isEqualTo("1g");
    }

    @Test
    void theOneUserStormAloneNeedsOneUser() {
        LoginsOptions o = LoginsOptions.from(CommandLine.parse(List.of("--scenarios", "one-user", "--clients", "20",
                "--login-cache", "0")));
        assertThat(o.parts()).containsExactly(LoginsOptions.Part.ONE_USER);
        assertThat(o.loginCaches()).containsExactly(0L);
        assertThat(o.users()).isEqualTo(1);
    }

    @Test
    void badValuesAreRefusedWithTheOptionsName() {
        assertThatThrownBy(() -> LoginsOptions.from(CommandLine.parse(List.of("--scenarios", "everyone"))))
                .hasMessage("unknown scenario 'everyone': one-user, distinct");
        assertThatThrownBy(() -> LoginsOptions.from(CommandLine.parse(List.of("--clients", "0"))))
                .hasMessage("--clients must be at least 1, not 0");
        assertThatThrownBy(() -> LoginsOptions.from(CommandLine.parse(List.of("--waves", "100,0"))))
                .hasMessage("--waves needs numbers of at least 1, not '100,0'");
        assertThatThrownBy(() -> LoginsOptions.from(CommandLine.parse(List.of("--login-cache", "a minute"))))
                .hasMessage("--login-cache takes whole numbers, not 'a minute'");
    }
}
