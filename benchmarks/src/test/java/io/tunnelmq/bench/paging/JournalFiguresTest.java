package io.tunnelmq.bench.paging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class JournalFiguresTest {
    private static final String METRICS = """
            # HELP tunnelmq_journal_written_bytes Bytes written to the journal
            # TYPE tunnelmq_journal_written_bytes counter
            tunnelmq_journal_written_bytes_total 1.2345E7
            tunnelmq_disk_used_bytes 6.7108864E7
            tunnelmq_disk_used_bytes_limit 1
            tunnelmq_queue_messages_paged{queue="a",kind="queue"} 10.0
            tunnelmq_queue_messages_paged{queue="b}x",kind="queue"} 5.0
            tunnelmq_queue_messages 3
            """;

    @Test
    void readsCountersWithTheirSuffixGaugesAndSumsLabelSets() {
        assertThat(JournalFigures.metric(METRICS, "tunnelmq_journal_written_bytes")).hasValue(12_345_000);
        assertThat(JournalFigures.metric(METRICS, "tunnelmq_disk_used_bytes")).hasValue(67_108_864);
        assertThat(JournalFigures.metric(METRICS, "tunnelmq_queue_messages_paged")).hasValue(15);
        assertThat(JournalFigures.metric(METRICS, "tunnelmq_queue_messages")).hasValue(3);
        assertThat(JournalFigures.metric(METRICS, "tunnelmq_journal_fsync_seconds")).isEqualTo(OptionalDouble.empty());
    }

    @Test
    void sumsTheCompactionsABrokerLogTellsOf() {
        String log = """
                05:01:02.003 [tmq-compactor] INFO Compactor - journal /d: compacted 3 segments into j-7.tmq (120 records \
                copied, 4096 bytes) in 12 ms, appends held for 1 ms
                05:01:03.000 [main] INFO Broker - something else
                05:01:09.003 [tmq-compactor] INFO Compactor - journal /d: compacted 2 segments into j-9.tmq (30 records \
                copied, 1000 bytes) in 3 ms, appends held for 0 ms
                """;

        JournalFigures.Compactions all = JournalFigures.compactions(log);

        assertThat(all).isEqualTo(new JournalFigures.Compactions(2, 150, 5096));
        assertThat(all.minus(new JournalFigures.Compactions(1, 120, 4096)))
                .isEqualTo(new JournalFigures.Compactions(1, 30, 1000));
        assertThat(JournalFigures.compactions("")).isEqualTo(new JournalFigures.Compactions(0, 0, 0));
    }
}
