package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.CommandLine;
import io.tunnelmq.bench.load.LoadOptions;
import io.tunnelmq.bench.load.LoadResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ColdClientTest {

    @Test
    void theColdClientCountsTheFirst100000MessagesAndItsWarmUpClientRunsTheSameLoadForATime() {
        for (Scenario s : List.of(Scenario.NP_1TO1_COLD, Scenario.NP_1TO1_COLD_CDS, Scenario.NP_1TO1_COLD_C1)) {
            assertThat(String.join(" ", s.loadArgs)).as(s.id).contains("--messages 100000", "--producers 1",
                    "--consumers 1", "--size 1024", "--ack auto");
            assertThat(s.warmupLoadArgs()).as(s.id).doesNotContain("--messages", "100000")
                    .containsSubsequence("--producers", "1", "--consumers", "1");
            assertThat(s.setup.coldClient()).isTrue();
        }
        assertThat(Scenario.NP_1TO1.setup.coldClient()).isFalse();
        assertThat(Scenario.NP_1TO1.warmupLoadArgs()).isEqualTo(Scenario.NP_1TO1.loadArgs);
    }

    @Test
    void theWarmUpClientRunsForTheWarmUpTimeAndDrainsItsQueue() {
        List<String> args = ColdClient.warmupArgs(Scenario.NP_1TO1_COLD, Duration.ofSeconds(15));

        LoadOptions options = LoadOptions.from(CommandLine.parse(args));

        assertThat(options.countMode()).isFalse();
        assertThat(options.warmup()).isZero();
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(options.drain()).isTrue();
        assertThat(options.shape()).isEqualTo("queue non-persistent 1024B 1->1 auto");
        assertThat(LoadOptions.from(CommandLine.parse(Scenario.NP_1TO1.loadArgs)).drain()).isFalse();
    }

    @Test
    void theWarmUpClientUsesAQueueOfItsOwnSoTheColdClientCountsNoLeftovers() {
        Properties jndi = BrokerKind.TUNNELMQ.jndi(9000, Scenario.NP_1TO1_COLD);

        Properties warm = ColdClient.warmupJndi(jndi);

        assertThat(warm.getProperty("queue.queue/bench")).isEqualTo("bench.np-1to1-cold.warmup");
        assertThat(jndi.getProperty("queue.queue/bench")).isEqualTo("bench.np-1to1-cold");
        assertThat(warm.getProperty("connectionFactory.ConnectionFactory"))
                .isEqualTo(jndi.getProperty("connectionFactory.ConnectionFactory"));
    }

    @Test
    void withAppCdsTheWarmUpClientWritesTheArchiveThatTheColdClientMaps(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("np-1to1-cold-cds-tunnelmq-client.jsa");
        ColdClient cds = new ColdClient(Setup.COLD_CLIENT_CDS, archive);
        ColdClient plain = new ColdClient(Setup.COLD_CLIENT, archive);

        assertThat(cds.warmupJvmArgs()).containsExactly("-XX:ArchiveClassesAtExit=" + archive.toAbsolutePath());
        assertThat(cds.coldJvmArgs()).containsExactly("-XX:SharedArchiveFile=" + archive.toAbsolutePath());
        assertThat(plain.warmupJvmArgs()).isEmpty();
        assertThat(plain.coldJvmArgs()).isEmpty();
        assertThat(cds.warmup(Duration.ZERO)).as("the archive needs a training run").isEqualTo(Duration.ofSeconds(2));
        assertThat(plain.warmup(Duration.ZERO)).isZero();
        assertThat(cds.warmup(Duration.ofSeconds(15))).isEqualTo(Duration.ofSeconds(15));

        assertThat(plain.note(BrokerKind.TUNNELMQ, "")).isNull();
        assertThat(cds.note(BrokerKind.ARTEMIS, "")).isEqualTo("Artemis no AppCDS archive was written (see the "
                + "warm-up client's log)");
        Files.write(archive, new byte[3 * 1024 * 1024]);
        assertThat(cds.note(BrokerKind.TUNNELMQ, "[0.010s][warning][cds] shared class paths mismatch\nother\n"))
                .isEqualTo("TunnelMQ AppCDS archive 3.0 MiB; the cold client said: [0.010s][warning][cds] shared "
                        + "class paths mismatch");
    }

    @Test
    void withC1AloneOnlyTheColdClientStopsTheJitAtC1(@TempDir Path dir) throws Exception {
        ColdClient c1 = new ColdClient(Setup.COLD_CLIENT_C1, dir.resolve("np-1to1-cold-c1-tunnelmq-client.jsa"));

        assertThat(c1.coldJvmArgs()).containsExactly("-XX:TieredStopAtLevel=1");
        assertThat(c1.warmupJvmArgs()).as("the warm-up client only warms the broker").isEmpty();
        assertThat(c1.warmup(Duration.ZERO)).isZero();
        assertThat(c1.note(BrokerKind.TUNNELMQ, "")).isNull();
        assertThat(Scenario.NP_1TO1_COLD_C1.hasTarget()).as("a JVM option of the application's").isFalse();
    }

    @Test
    void theColdClientsStartIsNotedBesideItsCountWindow() {
        LoadResult run = new LoadResult("x", "p", "s", 8.74, 100_000,
                100_000, 11_441, 11_441, 1, 0, 0, 0, 0, 0, null);

        assertThat(ColdClient.startNote(BrokerKind.TUNNELMQ, 11.26, run))
                .isEqualTo("TunnelMQ cold client JVM 11.3 s from launch to exit, 8.7 s of it counting the messages");
    }

    @Test
    void repeatRunsEveryScenarioThatOftenElseEachScenarioItsOwnCount() throws Exception {
        CompareOptions defaults = CompareOptions.from(CommandLine.parse(List.of("--work", "out/work")));
        CompareOptions three = CompareOptions.from(CommandLine.parse(List.of("--work", "out/work", "--repeat", "3")));

        assertThat(defaults.runs(Scenario.CLIENT_4)).isEqualTo(3);
        assertThat(defaults.runs(Scenario.NP_1TO1)).isEqualTo(1);
        assertThat(three.runs(Scenario.NP_1TO1)).isEqualTo(3);
        assertThatThrownBy(() -> CompareOptions.from(CommandLine.parse(List.of("--work", "out/work", "--repeat",
                "0")))).hasMessageContaining("--repeat needs a count of runs of 1 or more, not 0");
    }
}
