package io.tunnelmq.bench.scale;

import io.tunnelmq.bench.CommandLine;
import io.tunnelmq.bench.compare.BrokerKind;
import io.tunnelmq.bench.load.LoadResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ScaleReportTest {
    private static final long MIB = 1024 * 1024;

    private static LoadResult pair(double receivedPerSecond) {
        return new LoadResult("pair", "p", "np", 10, 0, 0, 0, receivedPerSecond, 0, 0, 0, 0, 0, 0, null);
    }

    private static LoadResult queues(double p50Ms, double p99Ms, String error) {
        return new LoadResult("queues", "p", "q", 10, 100_000, 100_000, 10_000, 10_000, 100_000, p50Ms * 1000,
                p99Ms * 900, p99Ms * 1000, p99Ms * 2000, p99Ms * 3000, error);
    }

    private static ScaleTable.Row row(ScaleTable table, String scenario) {
        return table.rows().stream().filter(r -> r.scenario().equals(scenario)).findFirst().orElseThrow();
    }

    @Test
    void rowsCarryBothBrokersTheAdvantageAndWhetherTunnelMqMetTheTarget() throws Exception {
        Map<BrokerKind, IdleFigures> idle = new EnumMap<>(BrokerKind.class);
        // 10,000 connections: 30 MiB more live heap = 3.07 KiB each; opened in 8 s = 1,250/s
        idle.put(BrokerKind.TUNNELMQ, new IdleFigures(new OpenReport(10_000, 10_000, 8, null), 20 * MIB, 50 * MIB,
                20, 21, pair(90_000), pair(95_000), pair(100_000), "CLOSED lost=0", null));
        // 150 MiB more = 15.36 KiB each; 20 s = 500/s; the pair keeps 80 %
        idle.put(BrokerKind.ARTEMIS, new IdleFigures(new OpenReport(10_000, 10_000, 20, null), 10 * MIB, 160 * MIB,
                50, 60, pair(20_000), pair(16_000), pair(19_000), "CLOSED lost=0", null));
        Map<BrokerKind, LoadResult> queues = new EnumMap<>(BrokerKind.class);
        queues.put(BrokerKind.TUNNELMQ, queues(0.5, 4, null));
        queues.put(BrokerKind.ARTEMIS, queues(1, 12, null));

        ScaleTable table = ScaleReport.table(ScaleOptions.from(CommandLine.parse(List.of())), idle, queues);

        ScaleTable.Row heap = row(table, "idle-heap");
        assertThat(heap.tunnel()).isCloseTo(3.072, org.assertj.core.data.Offset.offset(0.001));
        assertThat(heap.advantage()).isEqualTo("5.00×");
        assertThat(heap.metText()).isEqualTo("yes");
        ScaleTable.Row open = row(table, "idle-open-rate");
        assertThat(open.tunnel()).isEqualTo(1_250);
        assertThat(open.advantage()).isEqualTo("2.50×");
        assertThat(open.metText()).isEqualTo("yes");
        assertThat(row(table, "pair-alone").tunnel()).as("the better run alone").isEqualTo(100_000);
        ScaleTable.Row kept = row(table, "pair-kept");
        assertThat(kept.tunnel()).isEqualTo(0.95);
        assertThat(kept.artemis()).isEqualTo(0.8);
        assertThat(kept.metText()).isEqualTo("yes");
        ScaleTable.Row p99 = row(table, "queues-p99");
        assertThat(p99.tunnel()).isEqualTo(4);
        assertThat(p99.advantage()).isEqualTo("3.00×");
        assertThat(p99.metText()).isEqualTo("yes");
        assertThat(row(table, "queues-p50").metText()).as("reported, no target").isEqualTo("–");
        assertThat(table.csvRows()).allSatisfy(r -> assertThat(r).hasSize(ScaleTable.CSV_HEADER.size()));
        assertThat(table.csvRows().get(0)).containsExactly("idle-heap", "KiB/connection", "3.072", "15.360",
                "5.00×", "≤ 4 KiB at 10,000", "yes");
    }

    @Test
    void aMissedTargetSaysNoAndAMissingBrokerLeavesItsColumnEmpty() throws Exception {
        Map<BrokerKind, IdleFigures> idle = new EnumMap<>(BrokerKind.class);
        idle.put(BrokerKind.TUNNELMQ, new IdleFigures(new OpenReport(10_000, 10_000, 20, null), 0, 60 * MIB,
                20, 20, pair(100_000), pair(50_000), null, null, null));

        ScaleTable table = ScaleReport.table(ScaleOptions.from(CommandLine.parse(List.of())), idle, Map.of());

        assertThat(row(table, "idle-heap").metText()).isEqualTo("no");
        assertThat(row(table, "idle-open-rate").metText()).isEqualTo("no");
        assertThat(row(table, "pair-kept").metText()).isEqualTo("no");
        assertThat(row(table, "idle-heap").artemis()).isNaN();
        assertThat(row(table, "idle-heap").advantage()).isEqualTo("–");
        assertThat(table.rows()).noneMatch(r -> r.scenario().startsWith("queues"));
        String printed = print(table);
        assertThat(printed).contains("idle-heap").contains("no close report");
    }

    @Test
    void aBrokerThatFellOverBeforeHoldingThemAllMissesTheTargetsWhateverItsFiguresSoFar() throws Exception {
        Map<BrokerKind, IdleFigures> idle = new EnumMap<>(BrokerKind.class);
        idle.put(BrokerKind.TUNNELMQ, new IdleFigures(new OpenReport(10_000, 3_540, 2, "connection #3540: no answer "
                + "to the handshake within 10000 ms"), 0, 10 * MIB, 20, 20, pair(100_000), pair(99_000), null, null,
                null));

        ScaleTable table = ScaleReport.table(ScaleOptions.from(CommandLine.parse(List.of())), idle, Map.of());

        assertThat(row(table, "idle-heap").tunnel()).as("2.9 KiB each so far").isLessThan(4);
        assertThat(row(table, "idle-heap").metText()).isEqualTo("no");
        assertThat(row(table, "idle-open-rate").metText()).isEqualTo("no");
        assertThat(row(table, "pair-kept").metText()).isEqualTo("no");
        assertThat(print(table)).contains("3,540 of 10,000 connections opened").contains("fell over: connection #3540");
    }

    @Test
    void producersOrListenersThatFellBehindAreNamedBesideTheLatency() throws Exception {
        Map<BrokerKind, LoadResult> queues = new EnumMap<>(BrokerKind.class);
        queues.put(BrokerKind.TUNNELMQ, new LoadResult("queues", "p", "q", 10, 35_590, 30_810, 3_559, 3_081, 30_810,
                13_480_000, 18_000_000, 19_327_000, 19_830_000, 20_585_000, null));
        queues.put(BrokerKind.ARTEMIS, queues(1, 5, null));

        ScaleTable table = ScaleReport.table(ScaleOptions.from(CommandLine.parse(List.of())), Map.of(), queues);

        assertThat(row(table, "queues-p99").metText()).isEqualTo("no");
        String printed = print(table);
        assertThat(printed).contains("TunnelMQ queues: sent 35,590, received 30,810 in 10.0 s; the producers sent "
                + "only 36 % of the 10,000 msg/s meant").contains("the listeners received only 87 % of what was sent");
        assertThat(printed).doesNotContain("Artemis queues: sent 100,000, received 100,000 in 10.0 s; the producers");
    }

    @Test
    void aBrokerThatFellOverHasNoFiguresAndItsReasonInTheNotes() throws Exception {
        Map<BrokerKind, IdleFigures> idle = new EnumMap<>(BrokerKind.class);
        idle.put(BrokerKind.TUNNELMQ, IdleFigures.failed("tunnelmq broker exited with code 1 before it was ready"));

        ScaleTable table = ScaleReport.table(ScaleOptions.from(CommandLine.parse(List.of())), idle, Map.of());

        assertThat(row(table, "idle-heap").tunnel()).isNaN();
        assertThat(row(table, "idle-heap").metText()).isEqualTo("–");
        assertThat(print(table)).contains("TunnelMQ: FAILED: tunnelmq broker exited with code 1");
    }

    private static String print(ScaleTable table) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        table.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
