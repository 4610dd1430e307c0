package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.load.LoadResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ComparisonTableTest {
    private static final List<BrokerKind> BOTH = List.of(BrokerKind.TUNNELMQ, BrokerKind.ARTEMIS);

    private static LoadResult result(double receivedPerSecond, double sentPerSecond, double p50Micros) {
        return new LoadResult("x", "p", "s", 10, 1, 1, sentPerSecond, receivedPerSecond, 1, p50Micros, 0, 0, 0, null);
    }

    @Test
    void ratiosFavourTunnelMqAboveOneForRatesAndLatencies() {
        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.NP_1TO1, Map.of(BrokerKind.TUNNELMQ, result(30_000, 0, 0),
                BrokerKind.ARTEMIS, result(10_000, 0, 0)));
        results.put(Scenario.REQUEST_REPLY, Map.of(BrokerKind.TUNNELMQ, result(0, 0, 500),
                BrokerKind.ARTEMIS, result(0, 0, 800)));

        List<List<String>> rows = new ComparisonTable(results, BOTH, true).csvRows();

        assertThat(rows.get(0)).containsSubsequence("np-1to1", "30000", "10000", "3.00×", "≥ 3× Artemis", "yes");
        assertThat(rows.get(1)).containsSubsequence("request-reply", "0.500", "0.800", "1.60×", "p50 ≤ ½ Artemis",
                "no");
    }

    @Test
    void persistentRowIsMarkedNotDurableAndNeverCountsAsMet() {
        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.PERSISTENT, Map.of(BrokerKind.TUNNELMQ, result(5_000, 5_000, 0),
                BrokerKind.ARTEMIS, result(300, 300, 0)));
        ComparisonTable table = new ComparisonTable(results, BOTH, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        table.print(new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(table.csvRows().get(0)).contains("n/a").anyMatch(v -> v.contains("NOT DURABLE YET"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("5,000*", "NOT DURABLE YET");
    }

    @Test
    void aFailedRunShowsAsFailedWithItsReasonAndNoRatio() {
        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.CLIENT_4, Map.of(BrokerKind.TUNNELMQ, result(1, 1, 0), BrokerKind.ARTEMIS,
                new LoadResult("x", "p", "s", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "consumer-1: boom")));

        List<String> row = new ComparisonTable(results, BOTH, true).csvRows().get(0);

        assertThat(row).contains("FAILED", "-").anyMatch(v -> v.contains("Artemis FAILED: consumer-1: boom"));
    }

    @Test
    void eachScenarioGetsQueuesOfItsOwnAndNoPrefetchWhereItAsks() {
        Properties tunnel = BrokerKind.TUNNELMQ.jndi(9000, Scenario.STRICT_PEEK_LOCK);
        Properties artemis = BrokerKind.ARTEMIS.jndi(9001, Scenario.STRICT_PEEK_LOCK);

        assertThat(tunnel.getProperty("connectionFactory.ConnectionFactory")).isEqualTo("tmq://127.0.0.1:9000");
        assertThat(tunnel.getProperty("queue.queue/bench")).isEqualTo("bench.strict-peek-lock");
        assertThat(artemis.getProperty("connectionFactory.ConnectionFactory"))
                .isEqualTo("tcp://127.0.0.1:9001?useEpoll=false&consumerWindowSize=0");
        assertThat(BrokerKind.ARTEMIS.jndi(9001, Scenario.NP_1TO1).getProperty("connectionFactory.ConnectionFactory"))
                .isEqualTo("tcp://127.0.0.1:9001?useEpoll=false");
    }

    @Test
    void scenarioListsAreParsedAndUnknownNamesListTheKnownOnes() {
        assertThat(Scenario.parse("all")).hasSize(Scenario.values().length);
        assertThat(Scenario.parse("np-1to1, persistent")).containsExactly(Scenario.NP_1TO1, Scenario.PERSISTENT);
        assertThatThrownBy(() -> Scenario.parse("fastest")).hasMessageContaining("unknown scenario 'fastest'")
                .hasMessageContaining("np-1to1");
    }
}
