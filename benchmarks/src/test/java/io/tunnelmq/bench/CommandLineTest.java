package io.tunnelmq.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class CommandLineTest {

    @Test
    void readsValuesFlagsDurationsAndPositionals() {
        CommandLine line = CommandLine.parse(List.of("tunnelmq", "--port", "9000", "--persistent", "--size=2048",
                "--warmup", "500ms", "--duration", "2m", "--hold", "1.5s", "--messages", "10_000"));

        assertThat(line.positional()).containsExactly("tunnelmq");
        assertThat(line.integer("port", 0)).isEqualTo(9000);
        assertThat(line.flag("persistent")).isTrue();
        assertThat(line.flag("topic")).isFalse();
        assertThat(line.integer("size", 0)).isEqualTo(2048);
        assertThat(line.duration("warmup", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
        assertThat(line.duration("duration", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(line.duration("hold", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
        assertThat(line.longValue("messages", 0)).isEqualTo(10_000);
        line.requireAllUsed();
    }

    @Test
    void aMisspeltOptionIsRejectedByName() {
        CommandLine line = CommandLine.parse(List.of("--producer", "2"));
        line.integer("producers", 1);

        assertThatThrownBy(line::requireAllUsed).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--producer");
    }

    @Test
    void badNumbersAndDurationsSayWhichOptionAndWhatItNeeds() {
        assertThatThrownBy(() -> CommandLine.parse(List.of("--size", "big")).integer("size", 0))
                .hasMessageContaining("--size needs a whole number, not 'big'");
        assertThatThrownBy(() -> CommandLine.parse(List.of("--duration", "soon")).duration("duration", null))
                .hasMessageContaining("--duration needs a duration");
        assertThatThrownBy(() -> CommandLine.parse(List.of("--topic=maybe")).flag("topic"))
                .hasMessageContaining("--topic is a flag");
    }
}
