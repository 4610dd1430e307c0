package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.load.LoadResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class GroupCommitTest {
    private static final String METRICS = """
            # TYPE tunnelmq_journal_fsync_seconds histogram
            tunnelmq_journal_fsync_seconds_bucket{le="0.001"} 700
            tunnelmq_journal_fsync_seconds_bucket{le="+Inf"} 1000
            tunnelmq_journal_fsync_seconds_count 1000
            tunnelmq_journal_fsync_seconds_sum 2.5
            # TYPE tunnelmq_queue_enqueued counter
            tunnelmq_queue_enqueued_total{queue="bench.persistent-4"} 3000
            tunnelmq_queue_enqueued_total{queue="other"} 1000
            """;

    @Test
    void theJournalsFsyncsAndEnqueuedMessagesAreReadFromPrometheusText() {
        GroupCommit.Journal journal = GroupCommit.Journal.parse(METRICS);

        assertThat(journal).isEqualTo(new GroupCommit.Journal(1000, 2.5, 4000));
        assertThat(journal.minus(new GroupCommit.Journal(200, 0.5, 1000)))
                .isEqualTo(new GroupCommit.Journal(800, 2.0, 3000));
        assertThat(GroupCommit.Journal.parse("")).isEqualTo(new GroupCommit.Journal(0, 0, 0));
    }

    @Test
    void theNoteSetsTheSendRateAgainstTheDisksFsyncRateAndCountsMessagesPerFsync() {
        FsyncProbe.Result probe = new FsyncProbe.Result(3_000, 3.0, Path.of("/w"), "ext4");
        LoadResult run = new LoadResult("x", "p", "s", 10, 25_000, 25_000, 2_500, 2_500, 1, 0, 0, 0, 0, 0, null);

        String tunnel = GroupCommit.describe(BrokerKind.TUNNELMQ, run, probe, new GroupCommit.Journal(800, 2.0, 3_200));
        String artemis = GroupCommit.describe(BrokerKind.ARTEMIS, run, probe, null);

        assertThat(tunnel).isEqualTo("TunnelMQ the disk's fsync limit: 1,000 fsyncs/s (1 KiB write + force, one "
                + "writer, 3.0 s, 1.000 ms each, next to the journal on ext4); group commit reaches 2,500 msg/s = "
                + "2.50× the disk's fsync rate; its journal made 800 fsyncs for 3,200 messages over the run (warm-up "
                + "included): 4.0 messages per fsync, 2.500 ms per fsync");
        assertThat(artemis).endsWith("group commit reaches 2,500 msg/s = 2.50× the disk's fsync rate")
                .startsWith("Artemis the disk's fsync limit");
    }

    @Test
    void theProbeForcesWritesToDiskForItsTimeAndLeavesNoFileBehind(@TempDir Path dir) throws Exception {
        FsyncProbe.Result result = FsyncProbe.probe(dir, Duration.ofMillis(200));

        assertThat(result.fsyncs()).isPositive();
        assertThat(result.seconds()).isGreaterThanOrEqualTo(0.2);
        assertThat(result.dir()).isEqualTo(dir);
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
