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
        return new LoadResult("x", "p", "s", 10, 1, 1, sentPerSecond, receivedPerSecond, 1, p50Micros, 0, 0, 0, 0, null);
    }

    @Test
    void ratiosFavourTunnelMqAboveOneForRatesAndLatencies() {
        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.NP_1TO1, Map.of(BrokerKind.TUNNELMQ, result(50_000, 0, 0),
                BrokerKind.ARTEMIS, result(10_000, 0, 0)));
        results.put(Scenario.NP_1TO1_COLD, Map.of(BrokerKind.TUNNELMQ, result(29_000, 0, 0),
                BrokerKind.ARTEMIS, result(10_000, 0, 0)));

        List<List<String>> rows = ComparisonTable.oneRun(results, BOTH, true).csvRows();

        assertThat(rows.get(0)).containsSubsequence("np-1to1", "50000", "10000", "5.00×", "≥ 5× Artemis", "yes");
        assertThat(rows.get(1)).containsSubsequence("np-1to1-cold", "29000", "10000", "2.90×", "≥ 3× Artemis",
                "no");
    }

    /** A request/reply run with these round-trip percentiles in microseconds. */
    private static LoadResult roundTrips(double p50Micros, double p99Micros) {
        return new LoadResult("x", "p", "s", 10, 1, 1, 1, 1, 1, p50Micros, 0, p99Micros, 0, 0, null);
    }

    @Test
    void requestReplyAgainstTunnelMqAloneShowsItsP99AndArtemisNotRun() {
        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.REQUEST_REPLY, Map.of(BrokerKind.TUNNELMQ, roundTrips(180, 600)));

        List<List<String>> rows = ComparisonTable.oneRun(results, List.of(BrokerKind.TUNNELMQ), true).csvRows();

        assertThat(rows.get(1)).containsSubsequence("request-reply (p99)", "p99 ms", "0.600", "not run", "-");
    }

    @Test
    void requestReplyMeetsItsTargetOnlyWhenBothP50AndP99DoAndShowsTheP99InARowOfItsOwn() {
        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.REQUEST_REPLY, Map.of(BrokerKind.TUNNELMQ, roundTrips(180, 600),
                BrokerKind.ARTEMIS, roundTrips(500, 1_000)));

        List<List<String>> rows = ComparisonTable.oneRun(results, BOTH, true).csvRows();

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsSubsequence("request-reply", "p50 ms", "0.180", "0.500", "2.78×",
                "p50 ≤ 0.4× Artemis, and p99 (next row)", "no");
        assertThat(rows.get(1)).containsExactly("request-reply (p99)", "p99 of request-reply", "p99 ms", "0.600",
                "1.000", "1.67×", "p99 ≤ 0.5× Artemis", "no", "");

        results.put(Scenario.REQUEST_REPLY, Map.of(BrokerKind.TUNNELMQ, roundTrips(180, 450),
                BrokerKind.ARTEMIS, roundTrips(500, 1_000)));
        rows = ComparisonTable.oneRun(results, BOTH, true).csvRows();
        assertThat(rows.get(0).get(7)).as("p50 and p99 met").isEqualTo("yes");
        assertThat(rows.get(1).get(7)).isEqualTo("yes");

        results.put(Scenario.REQUEST_REPLY, Map.of(BrokerKind.TUNNELMQ, roundTrips(300, 450),
                BrokerKind.ARTEMIS, roundTrips(500, 1_000)));
        rows = ComparisonTable.oneRun(results, BOTH, true).csvRows();
        assertThat(rows.get(0).get(7)).as("p99 met, p50 not").isEqualTo("no");
        assertThat(rows.get(1).get(7)).isEqualTo("yes");
    }

    @Test
    void persistentNeedsBothItsRatioAndItsFloorOfMessagesPerSecond() {
        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.PERSISTENT, Map.of(BrokerKind.TUNNELMQ, result(0, 3_400, 0),
                BrokerKind.ARTEMIS, result(0, 300, 0)));
        assertThat(ComparisonTable.oneRun(results, BOTH, true).csvRows().get(0))
                .as("11.3× but under 3,500 msg/s").containsSubsequence("persistent", "3400", "300", "11.33×",
                        "≥ 3,500 msg/s and ≥ 10× Artemis", "no");

        results.put(Scenario.PERSISTENT, Map.of(BrokerKind.TUNNELMQ, result(0, 3_600, 0),
                BrokerKind.ARTEMIS, result(0, 300, 0)));
        assertThat(ComparisonTable.oneRun(results, BOTH, true).csvRows().get(0).get(7)).isEqualTo("yes");
    }

    @Test
    void aRepeatedScenarioShowsEveryRunAndMeetsItsTargetOnlyWhenEveryRunDoes() {
        Map<BrokerKind, LoadResult> fast = Map.of(BrokerKind.TUNNELMQ, result(100_000, 0, 0),
                BrokerKind.ARTEMIS, result(19_000, 0, 0));
        Map<BrokerKind, LoadResult> slow = Map.of(BrokerKind.TUNNELMQ, result(45_000, 0, 0),
                BrokerKind.ARTEMIS, result(20_000, 0, 0));
        Map<Scenario, List<Map<BrokerKind, LoadResult>>> results = new LinkedHashMap<>();
        results.put(Scenario.CLIENT_4, List.of(fast, slow, fast));
        ComparisonTable table = new ComparisonTable(results, BOTH, true, Map.of());

        assertThat(table.csvRows().get(0)).containsExactly("client-4", Scenario.CLIENT_4.description,
                "msg/s received", "100000 / 45000 / 100000", "19000 / 20000 / 19000", "5.26× / 2.25× / 5.26×",
                "≥ 5× Artemis in every one of 3 runs", "no", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        table.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("100,000 / 45,000 / 100,000");

        results.put(Scenario.CLIENT_4, List.of(fast, fast, fast));
        assertThat(new ComparisonTable(results, BOTH, true, Map.of()).csvRows().get(0).get(7)).isEqualTo("yes");
    }

    @Test
    void fewerRunsThanATargetAsksForCannotMeetIt() {
        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.CLIENT_4, Map.of(BrokerKind.TUNNELMQ, result(100_000, 0, 0),
                BrokerKind.ARTEMIS, result(10_000, 0, 0)));

        List<String> row = ComparisonTable.oneRun(results, BOTH, true).csvRows().get(0);

        assertThat(row.get(7)).isEqualTo("n/a");
        assertThat(row.get(8)).contains("the target asks for 3 runs, this comparison ran 1 (--repeat)");
    }

    @Test
    void repeatedTlsRunsAreSetAgainstThePlainRunOfTheSameIndex() {
        Map<Scenario, List<Map<BrokerKind, LoadResult>>> results = new LinkedHashMap<>();
        results.put(Scenario.NP_1TO1, List.of(Map.of(BrokerKind.TUNNELMQ, result(100_000, 0, 0)),
                Map.of(BrokerKind.TUNNELMQ, result(200_000, 0, 0))));
        results.put(Scenario.NP_1TO1_TLS, List.of(Map.of(BrokerKind.TUNNELMQ, result(90_000, 0, 0)),
                Map.of(BrokerKind.TUNNELMQ, result(120_000, 0, 0))));

        List<String> row = new ComparisonTable(results, List.of(BrokerKind.TUNNELMQ), true, Map.of()).csvRows().get(1);

        assertThat(row.get(7)).as("0.90 and 0.60: not every run within 30 %").isEqualTo("no");
        assertThat(row.get(8)).contains("TLS/plain TunnelMQ 0.90 / 0.60");
    }

    @Test
    void coldCdsAndFourProducerRunsAreSetAgainstTheirTwins() {
        assertThat(Scenario.NP_1TO1_COLD_CDS.twin()).isEqualTo(Scenario.NP_1TO1_COLD);
        assertThat(Scenario.NP_1TO1_COLD_C1.twin()).isEqualTo(Scenario.NP_1TO1_COLD);
        assertThat(Scenario.NP_1TO1_COLD.twin()).isNull();
        assertThat(Scenario.PERSISTENT_4.twin()).isEqualTo(Scenario.PERSISTENT);
        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.NP_1TO1_COLD, Map.of(BrokerKind.TUNNELMQ, result(30_000, 0, 0),
                BrokerKind.ARTEMIS, result(10_000, 0, 0)));
        results.put(Scenario.NP_1TO1_COLD_CDS, Map.of(BrokerKind.TUNNELMQ, result(45_000, 0, 0),
                BrokerKind.ARTEMIS, result(12_000, 0, 0)));

        List<String> row = ComparisonTable.oneRun(results, BOTH, true,
                Map.of(Scenario.NP_1TO1_COLD_CDS, List.of("TunnelMQ AppCDS archive 20.0 MiB"))).csvRows().get(1);

        assertThat(row).containsSubsequence("np-1to1-cold-cds", "45000", "12000", "3.75×", "≥ 3× Artemis", "yes");
        assertThat(row.get(8)).contains("with/without AppCDS TunnelMQ 1.50, Artemis 1.20",
                "TunnelMQ AppCDS archive 20.0 MiB");
    }

    @Test
    void theC1OnlyColdRunIsSetAgainstTheDefaultColdRunWithoutATarget() {
        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.NP_1TO1_COLD, Map.of(BrokerKind.TUNNELMQ, result(100_000, 0, 0),
                BrokerKind.ARTEMIS, result(20_000, 0, 0)));
        results.put(Scenario.NP_1TO1_COLD_C1, Map.of(BrokerKind.TUNNELMQ, result(145_000, 0, 0),
                BrokerKind.ARTEMIS, result(27_000, 0, 0)));

        List<String> row = ComparisonTable.oneRun(results, BOTH, true).csvRows().get(1);

        assertThat(row).containsSubsequence("np-1to1-cold-c1", "145000", "27000", "5.37×",
                "none (C1 only/default reported)");
        assertThat(row.get(7)).as("no target, no verdict").isEqualTo("-");
        assertThat(row.get(8)).contains("C1 only/default TunnelMQ 1.45, Artemis 1.35");
    }

    /** A fixed-rate run: {@code sent} and {@code received} messages in a 10 s window, latencies in microseconds. */
    private static LoadResult fixedRate(long sent, long received, double p50Micros, double p99Micros) {
        return new LoadResult("x", "p", "s", 10, sent, received, sent / 10.0, received / 10.0, received, p50Micros,
                p99Micros / 2, p99Micros, p99Micros * 2, p99Micros * 3, null);
    }

    @Test
    void shallowPeekLockComparesP99LatencyWithoutATarget() {
        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.SHALLOW_PEEK_LOCK, Map.of(BrokerKind.TUNNELMQ, fixedRate(20_000, 20_000, 300, 6_000),
                BrokerKind.ARTEMIS, fixedRate(20_000, 19_990, 400, 12_000)));
        ComparisonTable table = ComparisonTable.oneRun(results, BOTH, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        table.print(new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(table.csvRows().get(0)).containsExactly("shallow-peek-lock", Scenario.SHALLOW_PEEK_LOCK.description,
                "p99 ms", "6.000", "12.000", "2.00×", "none (reported)", "-", "");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("shallow-peek-lock", "6.000", "12.000")
                .doesNotContain("NOTE");
    }

    @Test
    void aFixedRateRunWhoseConsumersFellBehindIsNotedAsNotShallow() {
        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.SHALLOW_PEEK_LOCK_WINDOW, Map.of(BrokerKind.TUNNELMQ,
                fixedRate(20_000, 20_000, 300, 6_000), BrokerKind.ARTEMIS, fixedRate(20_000, 8_000, 900_000, 1e7)));

        String note = ComparisonTable.oneRun(results, BOTH, true).csvRows().get(0).get(8);

        assertThat(note).startsWith("Artemis fell behind: received 800 of 2,000 msg/s sent; the queue grew by 12,000")
                .doesNotContain("TunnelMQ");
        assertThat(ComparisonTable.fellBehind(fixedRate(20_000, 19_000, 1, 1))).as("within 5%").isNull();
    }

    @Test
    void shallowPeekLockRunsAShallowLoadAgainstArtemisWithAndWithoutAWindow() {
        for (Scenario s : List.of(Scenario.SHALLOW_PEEK_LOCK, Scenario.SHALLOW_PEEK_LOCK_WINDOW)) {
            assertThat(String.join(" ", s.loadArgs)).as(s.id).contains("--producers 1", "--rate 500",
                    "--consumers 4", "--ack client", "--hold 5ms");
            assertThat(s.fixedRate()).isTrue();
            assertThat(s.hasTarget()).isFalse();
            assertThat(BrokerKind.TUNNELMQ.jndi(9000, s).getProperty("connectionFactory.ConnectionFactory"))
                    .as("TunnelMQ keeps its default prefetch").isEqualTo("tmq://127.0.0.1:9000");
        }
        assertThat(BrokerKind.ARTEMIS.jndi(9001, Scenario.SHALLOW_PEEK_LOCK)
                .getProperty("connectionFactory.ConnectionFactory")).endsWith("&consumerWindowSize=0");
        assertThat(BrokerKind.ARTEMIS.jndi(9001, Scenario.SHALLOW_PEEK_LOCK_WINDOW)
                .getProperty("connectionFactory.ConnectionFactory")).isEqualTo("tcp://127.0.0.1:9001?useEpoll=false");
        assertThat(Scenario.STRICT_PEEK_LOCK.fixedRate()).isFalse();
    }

    @Test
    void persistentRowIsMarkedNotDurableAndNeverCountsAsMet() {
        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.PERSISTENT, Map.of(BrokerKind.TUNNELMQ, result(5_000, 5_000, 0),
                BrokerKind.ARTEMIS, result(300, 300, 0)));
        ComparisonTable table = ComparisonTable.oneRun(results, BOTH, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        table.print(new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(table.csvRows().get(0)).contains("n/a").anyMatch(v -> v.contains("NOT DURABLE YET"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("5,000*", "NOT DURABLE YET");
    }

    @Test
    void aFailedRunShowsAsFailedWithItsReasonAndNoRatio() {
        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.CLIENT_4, Map.of(BrokerKind.TUNNELMQ, result(1, 1, 0), BrokerKind.ARTEMIS,
                new LoadResult("x", "p", "s", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "consumer-1: boom")));

        List<String> row = ComparisonTable.oneRun(results, BOTH, true).csvRows().get(0);

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
    void everyRunsCsvGoesNextToTheTable() throws Exception {
        CompareOptions options = CompareOptions.from(io.tunnelmq.bench.CommandLine.parse(List.of(
                "--csv", "out/compare.csv", "--work", "out/work")));

        assertThat(options.runsCsv()).isEqualTo(java.nio.file.Path.of("out", "compare-runs.csv"));
    }

    @Test
    void scenarioListsAreParsedAndUnknownNamesListTheKnownOnes() {
        assertThat(Scenario.parse("all")).hasSize(Scenario.values().length);
        assertThat(Scenario.parse("np-1to1, persistent")).containsExactly(Scenario.NP_1TO1, Scenario.PERSISTENT);
        assertThat(Scenario.parse("strict-peek-lock,client-4,shallow-peek-lock,shallow-peek-lock-window"))
                .containsExactly(Scenario.STRICT_PEEK_LOCK, Scenario.CLIENT_4, Scenario.SHALLOW_PEEK_LOCK,
                        Scenario.SHALLOW_PEEK_LOCK_WINDOW);
        assertThatThrownBy(() -> Scenario.parse("fastest")).hasMessageContaining("unknown scenario 'fastest'")
                .hasMessageContaining("np-1to1");
    }

    @Test
    void tlsScenariosConnectThroughTlsAndReportTheirRatioToPlain() {
        TlsKeys keys = new TlsKeys(java.nio.file.Path.of("/w/broker.p12"), java.nio.file.Path.of("/w/trust.p12"));
        assertThat(BrokerKind.TUNNELMQ.jndi(9000, Scenario.NP_1TO1_TLS, keys)
                .getProperty("connectionFactory.ConnectionFactory"))
                .isEqualTo("tmqs://127.0.0.1:9000?trustStore=/w/trust.p12&trustStorePassword=" + TlsKeys.PASSWORD);
        assertThat(BrokerKind.ARTEMIS.jndi(9001, Scenario.NP_1TO1_TLS, keys)
                .getProperty("connectionFactory.ConnectionFactory")).contains("sslEnabled=true", "trustStorePath=/w/trust.p12");
        assertThat(Scenario.PERSISTENT_TLS.plainTwin()).isEqualTo(Scenario.PERSISTENT);
        assertThat(Scenario.NP_1TO1.plainTwin()).isNull();

        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.NP_1TO1, Map.of(BrokerKind.TUNNELMQ, result(100_000, 100_000, 0)));
        results.put(Scenario.NP_1TO1_TLS, Map.of(BrokerKind.TUNNELMQ, result(80_000, 80_000, 0)));
        List<String> tlsRow = ComparisonTable.oneRun(results, List.of(BrokerKind.TUNNELMQ), true).csvRows().get(1);
        assertThat(tlsRow).contains("np-1to1-tls", "yes").anyMatch(v -> v.contains("TLS/plain TunnelMQ 0.80"));
    }

    @Test
    void tlsScenariosRunArtemisOnTheProviderTunnelMqUses() {
        TlsKeys keys = new TlsKeys(java.nio.file.Path.of("/w/broker.p12"), java.nio.file.Path.of("/w/trust.p12"));
        assertThat(BrokerKind.ARTEMIS.jndi(9001, Scenario.NP_1TO1_TLS, keys)
                .getProperty("connectionFactory.ConnectionFactory"))
                .contains("sslProvider=" + io.tunnelmq.bench.broker.ArtemisTls.provider());
        assertThat(AroundRun.tlsProvider(BrokerKind.TUNNELMQ,
                "12:00 [main] INFO TunnelServer - TLS on /127.0.0.1:4 with BoringSSL (TLS 1.2/1.3, client ...)\n"))
                .isEqualTo("BoringSSL");
        assertThat(AroundRun.tlsProvider(BrokerKind.ARTEMIS, "READY tcp://x ActiveMQ Artemis 2.56.0, TLS provider JDK "
                + "(17.0.9)\n")).isEqualTo("JDK (17.0.9)");
        assertThat(AroundRun.tlsProvider(BrokerKind.TUNNELMQ, "nothing\n")).isEqualTo("not named in its log");
    }

    @Test
    void scrapedScenariosRunOnTunnelMqOnlyAndReportTheirRatioToUnscraped() {
        assertThat(Scenario.NP_1TO1_SCRAPED.twin()).isEqualTo(Scenario.NP_1TO1);
        assertThat(Scenario.PERSISTENT_SCRAPED.twin()).isEqualTo(Scenario.PERSISTENT);
        assertThat(Scenario.NP_1TO1_TLS.twin()).isEqualTo(Scenario.NP_1TO1);
        assertThat(Scenario.PERSISTENT_SCRAPED.setup.runsOn(BrokerKind.ARTEMIS)).isFalse();
        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.PERSISTENT, Map.of(BrokerKind.TUNNELMQ, result(0, 2_000, 0),
                BrokerKind.ARTEMIS, result(0, 300, 0)));
        results.put(Scenario.PERSISTENT_SCRAPED, Map.of(BrokerKind.TUNNELMQ, result(0, 1_900, 0)));

        List<String> row = ComparisonTable.oneRun(results, BOTH, true,
                Map.of(Scenario.PERSISTENT_SCRAPED, List.of("TunnelMQ scraper: 25 GETs"))).csvRows().get(1);

        assertThat(row).containsSubsequence("persistent-scraped", "1900", "not run", "-",
                "none (scraped/unscraped reported)", "-");
        assertThat(row.get(8)).contains("Artemis not run: no Prometheus endpoint", "scraped/unscraped TunnelMQ 0.95",
                "TunnelMQ scraper: 25 GETs");
    }

    @Test
    void hostilePeersRowMeetsItsTargetOnlyUnder100MsAndShowsBothRunsPercentiles() {
        Map<Scenario, Map<BrokerKind, LoadResult>> results = new LinkedHashMap<>();
        results.put(Scenario.HOSTILE_QUIET, Map.of(BrokerKind.TUNNELMQ, fixedRate(1_000, 1_000, 500, 2_000)));
        results.put(Scenario.HOSTILE_PEERS, Map.of(BrokerKind.TUNNELMQ, fixedRate(1_000, 1_000, 800, 8_000)));

        List<List<String>> rows = ComparisonTable.oneRun(results, List.of(BrokerKind.TUNNELMQ), true).csvRows();

        assertThat(rows.get(0)).containsSubsequence("hostile-quiet", "p99 ms", "2.000", "not run", "-",
                "none (baseline of hostile-peers)", "-");
        assertThat(rows.get(0).get(8)).contains("TunnelMQ round trip p50/p95/p99/max 0.50 / 1.00 / 2.00 / 6.00 ms");
        assertThat(rows.get(1)).containsSubsequence("hostile-peers", "8.000", "p99 < 100 ms, broker survives", "yes");
        assertThat(rows.get(1).get(8)).contains("p99 with/without hostile peers TunnelMQ 4.00",
                "p50/p95/p99/max 0.80 / 4.00 / 8.00 / 24.00 ms").doesNotContain("Artemis not run");

        results.put(Scenario.HOSTILE_PEERS, Map.of(BrokerKind.TUNNELMQ, fixedRate(1_000, 1_000, 800, 150_000)));
        assertThat(ComparisonTable.oneRun(results, List.of(BrokerKind.TUNNELMQ), true).csvRows().get(1)).contains("no");
        results.put(Scenario.HOSTILE_PEERS, Map.of(BrokerKind.TUNNELMQ, fixedRate(1_000, 1_000, 800, 8_000)
                .failedBecause("the broker did not survive: OutOfMemoryError in its log")));
        List<String> died = ComparisonTable.oneRun(results, List.of(BrokerKind.TUNNELMQ), true).csvRows().get(1);
        assertThat(died).contains("FAILED", "no");
        assertThat(died.get(8)).contains("OutOfMemoryError");
    }
}
