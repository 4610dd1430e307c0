package io.tunnelmq.bench.scale;

import io.tunnelmq.bench.CommandLine;
import io.tunnelmq.bench.ExitCode;
import io.tunnelmq.bench.compare.BrokerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ScaleOptionsTest {

    private static ScaleOptions parse(String... args) throws Exception {
        return ScaleOptions.from(CommandLine.parse(List.of(args)));
    }

    @Test
    void defaultsAreIssue19sCountsAgainstBothBrokers() throws Exception {
        ScaleOptions o = parse();

        assertThat(o.parts()).containsExactly(ScaleOptions.Part.CONNECTIONS, ScaleOptions.Part.QUEUES);
        assertThat(o.brokers()).containsExactly(BrokerKind.TUNNELMQ, BrokerKind.ARTEMIS);
        assertThat(o.connections()).isEqualTo(10_000);
        assertThat(o.queues()).isEqualTo(1_000);
        assertThat(o.rate()).isEqualTo(10);
        assertThat(o.size()).isEqualTo(1024);
        assertThat(o.persistent()).isFalse();
        assertThat(o.layout()).isEqualTo(ScaleOptions.Layout.SHARED);
        assertThat(o.clientHeap()).isEqualTo("2g");
        assertThat(o.workDir()).as("a new temporary directory when the run starts").isNull();
    }

    @Test
    void smallSmokeRunNumbersAreTakenAsGiven() throws Exception {
        ScaleOptions o = parse("--scenarios", "queues", "--brokers", "tunnelmq", "--connections", "5_00",
                "--queues", "50", "--rate", "20", "--duration", "5s", "--warmup", "500ms", "--layout", "own",
                "--persistent", "--csv", "out/s.csv");

        assertThat(o.parts()).containsExactly(ScaleOptions.Part.QUEUES);
        assertThat(o.brokers()).containsExactly(BrokerKind.TUNNELMQ);
        assertThat(o.connections()).isEqualTo(500);
        assertThat(o.queues()).isEqualTo(50);
        assertThat(o.rate()).isEqualTo(20);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.layout()).isEqualTo(ScaleOptions.Layout.OWN);
        assertThat(o.persistent()).isTrue();
        assertThat(o.runsCsv()).isEqualTo(Path.of("out", "s-runs.csv"));
    }

    @Test
    void layoutsNameTheQueueEachIdleConsumerListensOn() {
        assertThat(ScaleOptions.Layout.SHARED.queue(7)).isEqualTo("scale.idle");
        assertThat(ScaleOptions.Layout.OWN.queue(7)).isEqualTo("scale.idle.7");
    }

    @Test
    void badValuesAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> parse("--connections", "0")).hasMessageContaining("--connections must be at least 1");
        assertThatThrownBy(() -> parse("--rate", "ten")).hasMessageContaining("--rate needs a whole number");
        assertThatThrownBy(() -> parse("--scenarios", "connections,bogus"))
                .hasMessageContaining("unknown scenario 'bogus'");
        assertThatThrownBy(() -> parse("--layout", "shared,own")).hasMessageContaining("--layout takes one");
        assertThatThrownBy(() -> parse("--brokers", "rabbit")).hasMessageContaining("unknown broker 'rabbit'");
        assertThatThrownBy(() -> parse("--duration", "0")).hasMessageContaining("--duration must be above 0");
    }

    @Test
    void aMisspeltOptionStopsTheCommandBeforeAnyBrokerStarts(@TempDir Path dir) {
        assertThatThrownBy(() -> ScaleCommand.run(List.of("--conections", "10", "--work", dir.toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--conections");
    }

    @Test
    void helpPrintsTheOptionsAndRunsNothing() throws Exception {
        assertThat(ScaleCommand.run(List.of("--help"))).isEqualTo(ExitCode.OK);
    }
}
