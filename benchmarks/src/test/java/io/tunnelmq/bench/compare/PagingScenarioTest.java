package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class PagingScenarioTest {
    @TempDir
    Path work;

    private CompareOptions options(String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("--work", work.toString()));
        all.addAll(List.of(args));
        return CompareOptions.from(CommandLine.parse(all));
    }

    @Test
    void pagingScenariosAreNotInTheDefaultListButNamedOrAllAtOnce() throws Exception {
        assertThat(options().pagingScenarios()).isEmpty();
        assertThat(options().scenarios()).isNotEmpty();

        CompareOptions paging = options("--scenarios", "paging");
        assertThat(paging.pagingScenarios()).containsExactly(PagingScenario.values());
        assertThat(paging.scenarios()).isEmpty();

        CompareOptions mixed = options("--scenarios", "np-1to1, paging-mixed,recovery-1m");
        assertThat(mixed.pagingScenarios()).containsExactly(PagingScenario.MIXED, PagingScenario.RECOVERY);
        assertThat(mixed.scenarios()).containsExactly(Scenario.NP_1TO1);
    }

    @Test
    void anUnknownNameIsStillRefusedWithTheList() {
        assertThatThrownBy(() -> options("--scenarios", "paging-mixed,paging-typo"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown scenario 'paging-typo'");
    }

    @Test
    void sizesDefaultToTheIssuesAndAreRead() throws Exception {
        PagingOptions defaults = options().paging();
        assertThat(defaults.backlogMessages()).isEqualTo(100_000);
        assertThat(defaults.backlogSize()).isEqualTo(8192);
        assertThat(defaults.smallHeap()).isEqualTo("256m");
        assertThat(defaults.mixedMessages()).isEqualTo(1_000_000);
        assertThat(defaults.recoveryMessages()).isEqualTo(1_000_000);
        assertThat(defaults.artemisPageBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(defaults.tunnelConfig()).isNull();

        PagingOptions set = options("--mixed-messages", "200_000", "--mixed-duration", "30s", "--fill-producers", "16",
                "--tunnelmq-config", "b.properties").paging();
        assertThat(set.mixedMessages()).isEqualTo(200_000);
        assertThat(set.mixedDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(set.fillProducers()).isEqualTo(16);
        assertThat(set.tunnelConfig()).isEqualTo(Path.of("b.properties"));
        assertThatThrownBy(() -> options("--fill-producers", "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--fill-producers");
    }

    @Test
    void theTableGivesTunnelMqsAdvantageOnlyWhereAFigureCompares() {
        PagingTable table = new PagingTable();
        table.add("s", "rate", 300, 100, PagingTable.Better.HIGHER);
        table.add("s", "rss", 200, 400, PagingTable.Better.LOWER);
        table.add("s", "failed", 0, 0, PagingTable.Better.NEITHER);
        table.add("s", "ready", 3, Double.NaN, PagingTable.Better.LOWER);

        assertThat(table.rows()).extracting(PagingTable.Row::advantage).containsExactly(3.0, 2.0, Double.NaN,
                Double.NaN);
        assertThat(PagingTable.number(1234567)).isEqualTo("1,234,567");
        assertThat(PagingTable.number(4.256)).isEqualTo("4.26");
        assertThat(PagingTable.number(Double.NaN)).isEqualTo("–");
    }

    @Test
    void pagingRunsUseTheBrokersOwnFactoryAndAQueueOfTheScenario() {
        assertThat(PagingComparison.jndi(BrokerKind.ARTEMIS, 1234, "paging-mixed-artemis"))
                .containsEntry("queue.queue/bench", "bench.paging-mixed")
                .containsEntry("connectionFactory.ConnectionFactory", "tcp://127.0.0.1:1234?useEpoll=false");
    }
}
