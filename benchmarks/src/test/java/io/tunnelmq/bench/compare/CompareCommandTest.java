package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.Csv;
import io.tunnelmq.bench.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole comparison, shrunk: one short scenario against each broker (each in a JVM of its own), the table as
 * CSV. Guards the plumbing (child JVMs, JNDI per broker, result files), not the figures. Each run has a second of
 * warm-up: on a busy 2-core machine a cold load JVM's first round trip can take longer than the measured second.
 */
@Timeout(120)
class CompareCommandTest {

    @Test
    void runsAScenarioAgainstBothBrokersAndWritesTheTable(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("compare.csv");

        int code = CompareCommand.run(List.of("--scenarios", "request-reply", "--warmup", "1s", "--duration", "1s",
                "--broker-heap", "512m", "--client-heap", "256m", "--work", dir.resolve("work").toString(),
                "--csv", csv.toString()));

        assertThat(code).isEqualTo(ExitCode.OK);
        List<List<String>> rows = Csv.parse(Files.readString(csv));
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).isEqualTo(ComparisonTable.CSV_HEADER);
        assertThat(rows.get(2).get(0)).as("the p99 of the issue's target, in a row of its own")
                .isEqualTo("request-reply (p99)");
        List<String> row = rows.get(1);
        assertThat(row.get(0)).isEqualTo("request-reply");
        assertThat(Double.parseDouble(row.get(3))).as("TunnelMQ p50 ms").isPositive();
        assertThat(Double.parseDouble(row.get(4))).as("Artemis p50 ms").isPositive();
        assertThat(row.get(5)).endsWith("×");
        assertThat(dir.resolve("work/request-reply-artemis.csv")).exists();
        List<List<String>> runs = Csv.parse(Files.readString(dir.resolve("compare-runs.csv")));
        assertThat(runs).as("every run's row").extracting(r -> r.get(0))
                .containsExactly("label", "request-reply@tunnelmq", "request-reply@artemis");
        assertThat(Files.readString(dir.resolve("work/request-reply-artemis-broker.log"))).contains("READY tcp://127.0.0.1:");
    }

    @Test
    void tunnelMqOnlyScenariosSkipArtemisAndNoteTheirScraperAndTheBrokersSurvival(@TempDir Path dir)
            throws Exception {
        Path csv = dir.resolve("compare.csv");

        int code = CompareCommand.run(List.of("--scenarios", "np-1to1-scraped,hostile-quiet", "--warmup", "1s",
                "--duration", "1s", "--broker-heap", "512m", "--client-heap", "256m",
                "--work", dir.resolve("work").toString(), "--csv", csv.toString()));

        assertThat(code).isEqualTo(ExitCode.OK);
        List<List<String>> rows = Csv.parse(Files.readString(csv));
        assertThat(rows).extracting(r -> r.get(0)).containsExactly("scenario", "np-1to1-scraped", "hostile-quiet");
        List<String> scraped = rows.get(1);
        assertThat(Double.parseDouble(scraped.get(3))).as("TunnelMQ msg/s").isPositive();
        assertThat(scraped.get(4)).isEqualTo("not run");
        assertThat(scraped.get(8)).contains("Artemis not run", "TunnelMQ scraper:", "GETs of /metrics every 1000 ms, "
                + "0 failed");
        List<String> quiet = rows.get(2);
        assertThat(Double.parseDouble(quiet.get(3))).as("TunnelMQ p99 ms").isPositive();
        assertThat(quiet.get(8)).contains("round trip p50/p95/p99/max", "TunnelMQ broker survived");
        assertThat(Files.readString(dir.resolve("work/hostile-quiet-tunnelmq-broker.log"))).contains("max heap 2");
        assertThat(dir.resolve("work/np-1to1-scraped-artemis-broker.log")).doesNotExist();
    }
}
