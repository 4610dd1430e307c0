package io.tunnelmq.samples;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Judges a run of OpenMQ's {@code TransactedExample <n>} by its output. The program is random by design: its vendor
 * throws a simulated exception in about one transaction of three and rolls it back (after which it exits with
 * status 1 however well everything else went), and its suppliers have a random stock, so an order may be "not
 * filled". What must hold: both orders (n and 2n computers) are processed completely, a rolled-back order is
 * delivered again and processed, and status 1 comes only with a simulated rollback.
 */
final class TransactedExampleVerdict {
    private static final String SIMULATED = "Simulated database concurrent access exception";

    private TransactedExampleVerdict() {
    }

    /** The run of {@code TransactedExample <quantity>} did what the program promises. */
    static void assertPassed(ProgramRun run, int quantity) {
        List<String> lines = run.lines();
        String transcript = run.transcript();
        assertThat(run.exited()).as("the JVM ends by itself; %s", transcript).isTrue();
        long rollbacks = lines.stream().filter(l -> l.equals("  Vendor: rolled back transaction 1")).count();
        long simulated = lines.stream().filter(l -> l.contains("Vendor: JMSException occurred: ")
                && l.endsWith(SIMULATED)).count();
        assertThat(rollbacks).as("each simulated exception is rolled back; %s", transcript).isEqualTo(simulated);
        assertThat(run.exitCode()).as("status 1 only after a simulated rollback; %s", transcript)
                .isEqualTo(simulated > 0 ? 1 : 0);
        // any other exception is a real failure
        assertThat(lines).as(transcript).noneMatch(l -> l.contains("Exception occurred") && !l.endsWith(SIMULATED));
        assertThat(lines).as(transcript).noneMatch(l -> l.startsWith("Exception in thread"));
        ThirdPartyRuns.assertNoClientComplaints(run);

        // both orders went all the way round, whether or not a rollback made the vendor take them twice. Lines of
        // different threads are compared only where one causes the other: the vendor takes order 2 only after
        // the retailer heard that order 1 was processed
        assertThat(lines).as(transcript).containsSubsequence("Quantity to be ordered is " + quantity,
                "Retailer: ordered " + quantity + " computer(s)", "Retailer: ordered " + 2 * quantity + " computer(s)");
        assertThat(lines).as(transcript).containsSubsequence(
                "Vendor: Retailer ordered " + quantity + " Computer(s)", "Vendor: Completed processing for order 1",
                "Vendor: Retailer ordered " + 2 * quantity + " Computer(s)",
                "Vendor: Completed processing for order 2");
        assertThat(lines.stream().filter(l -> l.startsWith("Vendor: Retailer ordered ")).count())
                .as("each order is processed exactly once after its rollbacks; %s", transcript).isEqualTo(2);
        assertThat(lines.stream().filter(l -> l.equals("Retailer: Order filled") || l.equals("Retailer: Order not filled"))
                .count()).as("the retailer hears about both orders; %s", transcript).isEqualTo(2);
    }
}
