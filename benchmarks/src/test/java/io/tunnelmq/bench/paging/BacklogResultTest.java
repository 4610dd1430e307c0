package io.tunnelmq.bench.paging;

import io.tunnelmq.bench.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class BacklogResultTest {

    @Test
    void aResultLineReadsBackWithItsFiguresAndAnErrorHoldingSpaces() {
        BacklogResult r = new BacklogResult("fill", 12.5, 1000, 2, 0, 0, 1000, "producer 3: broker gone\naway");

        BacklogResult back = BacklogResult.parse(r.line());

        assertThat(back).isEqualTo(new BacklogResult("fill", 12.5, 1000, 2, 0, 0, 1000, "producer 3: broker gone away"));
        assertThat(back.sendRate()).isEqualTo(80.0);
        assertThat(back.ok()).isFalse();
    }

    @Test
    void aResultWithoutErrorIsOk() {
        BacklogResult r = BacklogResult.parse(new BacklogResult("drain", 2, 0, 0, 500, 1, 0, null).line());

        assertThat(r.ok()).isTrue();
        assertThat(r.receiveRate()).isEqualTo(250.0);
        assertThat(r.orderErrors()).isEqualTo(1);
    }

    @Test
    void aLineThatIsNotAResultOrLacksAFigureIsRefusedByName() {
        assertThatThrownBy(() -> BacklogResult.parse("phase=fill")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("starts with 'RESULT'");
        assertThatThrownBy(() -> BacklogResult.parse("RESULT phase=fill seconds=1")).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("lacks a figure");
        assertThatThrownBy(() -> BacklogResult.parse("RESULT phase=fill oops")).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("'oops'");
    }

    @Test
    void optionsReadEveryPhaseAndRefuseWhatCannotRun() {
        BacklogOptions o = BacklogOptions.from(CommandLine.parse(List.of("--jndi", "j.properties", "--phase", "Mixed",
                "--messages", "1_000", "--size", "8192", "--persistent", "--producers", "4", "--duration", "2m")));

        assertThat(o.phase()).isEqualTo(BacklogOptions.Phase.MIXED);
        assertThat(o.messages()).isEqualTo(1000);
        assertThat(o.size()).isEqualTo(8192);
        assertThat(o.persistent()).isTrue();
        assertThat(o.producers()).isEqualTo(4);
        assertThat(o.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.idle()).isEqualTo(Duration.ofSeconds(60));
        assertThatThrownBy(() -> BacklogOptions.from(CommandLine.parse(List.of("--jndi", "j", "--phase", "fill"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--messages N");
        assertThatThrownBy(() -> BacklogOptions.from(CommandLine.parse(List.of("--jndi", "j", "--phase", "peek",
                "--messages", "1")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fill, drain or mixed, not 'peek'");
        assertThatThrownBy(() -> BacklogOptions.from(CommandLine.parse(List.of("--jndi", "j", "--phase", "fill",
                "--messages", "10", "--producers", "0")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--producers");
    }
}
