package io.tunnelmq.bench.scale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class OpenReportTest {

    @Test
    void aReportSurvivesItsLineInTheClientsLog() {
        OpenReport report = new OpenReport(10_000, 10_000, 8.25, null);

        OpenReport read = OpenReport.parse(report.line());

        assertThat(read).isEqualTo(report);
        assertThat(read.ok()).isTrue();
        assertThat(read.perSecond()).isCloseTo(1212.12, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aFleetThatFellOverKeepsHowFarItGotAndWhy() {
        OpenReport report = new OpenReport(10_000, 4_093, 3.5,
                "connection #4093 (after 4093 opened): jakarta.jms.JMSException: Too many open files\nmore");

        OpenReport read = OpenReport.parse(report.line());

        assertThat(read.ok()).isFalse();
        assertThat(read.opened()).isEqualTo(4_093);
        assertThat(read.error()).isEqualTo("connection #4093 (after 4093 opened): jakarta.jms.JMSException: "
                + "Too many open files more");
    }

    @Test
    void anotherLineIsNotAReport() {
        assertThatThrownBy(() -> OpenReport.parse("opened 1000 of 10000"))
                .hasMessageContaining("not an OPENED line");
    }
}
