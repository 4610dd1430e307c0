package io.tunnelmq.bench.load;

import io.tunnelmq.bench.CommandLine;
import io.tunnelmq.bench.Csv;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The load tool against an embedded TunnelMQ broker, a few hundred messages per run: the CI guard of the tool. */
@Timeout(60)
class LoadRunSmokeTest {
    private static EmbeddedBroker broker;
    @TempDir
    static Path dir;
    private static Path jndi;

    @BeforeAll
    static void startBroker() throws IOException {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withHost("127.0.0.1").withPort(0));
        jndi = dir.resolve("jndi.properties");
        Files.writeString(jndi, String.join("\n",
                "java.naming.factory.initial=io.tunnelmq.jndi.TunnelInitialContextFactory",
                "connectionFactory.ConnectionFactory=" + broker.url(),
                "connectionFactory.NoPrefetch=" + broker.url() + "?prefetch=0",
                "queue.queue/bench=smoke",
                "queue.queue/bench.reply=smoke.reply",
                "topic.topic/bench=smoke.topic"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static LoadResult run(String label, String... args) throws InterruptedException {
        List<String> all = new ArrayList<>(List.of("--jndi", jndi.toString(), "--label", label,
                "--destination", args.length > 0 && List.of(args).contains("--topic") ? "topic/bench"
                        : "queue/bench", "--timeout", "30s"));
        // each test uses a queue of its own, so a failed test cannot leave messages for the next
        all.addAll(List.of(args));
        CommandLine line = CommandLine.parse(all);
        LoadOptions options = LoadOptions.from(line);
        line.requireAllUsed();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        System.setProperty("queue.queue/bench", "smoke." + label);
        try {
            return new LoadRun(options, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
        } finally {
            System.clearProperty("queue.queue/bench");
        }
    }

    @Test
    void countModeDeliversEveryMessageToCompetingConsumers() throws Exception {
        LoadResult r = run("count", "--messages", "400", "--producers", "2", "--consumers", "2", "--size", "256");

        assertThat(r.error()).isNull();
        assertThat(r.sent()).isEqualTo(400);
        assertThat(r.received()).isEqualTo(400);
        assertThat(r.receivedPerSecond()).isPositive();
        assertThat(r.latencySamples()).isEqualTo(400);
        assertThat(r.p50Micros()).isPositive().isLessThanOrEqualTo(r.p99Micros());
        assertThat(r.provider()).containsIgnoringCase("TunnelMQ");
        assertThat(broker.queueDepth("smoke.count")).isZero();
    }

    @Test
    void everyAcknowledgeModeSettlesWhatItReceives() throws Exception {
        for (String ack : List.of("client", "dups-ok", "transacted", "individual")) {
            LoadResult r = run("ack-" + ack, "--messages", "200", "--ack", ack, "--batch", "7", "--persistent");

            assertThat(r.error()).as(ack).isNull();
            assertThat(r.received()).as(ack).isEqualTo(200);
        }
        for (String ack : List.of("client", "dups-ok", "transacted", "individual")) {
            assertThat(broker.queueStats("smoke.ack-" + ack).depth()).as(ack).isZero();
        }
    }

    @Test
    void topicSubscribersEachGetEveryMessage() throws Exception {
        LoadResult r = run("topic", "--topic", "--messages", "150", "--consumers", "3");

        assertThat(r.error()).isNull();
        assertThat(r.sent()).isEqualTo(150);
        assertThat(r.received()).isEqualTo(450);
    }

    @Test
    void requestReplyMeasuresRoundTripsWithTemporaryAndFixedReplyQueues() throws Exception {
        LoadResult temporary = run("rr-temp", "--request-reply", "--messages", "200", "--producers", "2");
        LoadResult fixed = run("rr-fixed", "--request-reply", "--reply-to", "fixed", "--messages", "200",
                "--producers", "2");

        for (LoadResult r : List.of(temporary, fixed)) {
            assertThat(r.error()).isNull();
            assertThat(r.received()).isEqualTo(200);
            assertThat(r.latencySamples()).isEqualTo(200);
            assertThat(r.p50Micros()).isPositive();
        }
    }

    @Test
    void pacedRequestReplyKeepsItsRateAndCountsRoundTripsWithPercentiles() throws Exception {
        LoadResult r = run("rr-paced", "--request-reply", "--rate", "200", "--warmup", "200ms", "--duration", "1s");

        assertThat(r.error()).isNull();
        // never faster than asked; slower only as far as the machine's load stretches the round trips
        assertThat(r.sentPerSecond()).isPositive().isLessThanOrEqualTo(250.0);
        // every reply has its round trip: a worker records the latency, then counts the reply, while the run takes
        // the interval histogram and the counts one after the other, so a reply at each window edge may fall on one
        // side in one and on the other side in the other (seen: 199 samples for 200 replies)
        assertThat(r.latencySamples()).isPositive().isBetween(r.received() - 2, r.received() + 2);
        assertThat(r.p50Micros()).isPositive().isLessThanOrEqualTo(r.p95Micros());
        assertThat(r.p95Micros()).isLessThanOrEqualTo(r.p99Micros());
    }

    @Test
    void timeModeWithFixedRateAndHoldWithoutPrefetchReportsAWindowAndWritesCsv() throws Exception {
        LoadResult r = run("timed", "--factory", "NoPrefetch", "--warmup", "300ms", "--duration", "1s",
                "--rate", "400", "--consumers", "2", "--hold", "1ms", "--ack", "client",
                "--cpu-of", Long.toString(ProcessHandle.current().pid())); // the embedded broker's process
        Path csv = dir.resolve("results.csv");
        ResultTable.appendCsv(csv, List.of(r));
        ResultTable.appendCsv(csv, List.of(r));
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        ResultTable.print(List.of(r), new PrintStream(table, true, StandardCharsets.UTF_8));

        assertThat(r.error()).isNull();
        assertThat(r.seconds()).isGreaterThanOrEqualTo(0.9);
        assertThat(r.sentPerSecond()).isPositive().isLessThanOrEqualTo(500.0); // paced: never faster than asked
        assertThat(r.received()).isPositive();
        List<List<String>> rows = Csv.parse(Files.readString(csv));
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).isEqualTo(LoadResult.CSV_HEADER);
        LoadResult back = LoadResult.fromCsv(rows.get(2));
        assertThat(back.received()).isEqualTo(r.received());
        assertThat(table.toString(StandardCharsets.UTF_8)).contains("timed", "recv/s", "client cpu", " us");
        // on Linux (/proc): the CPU this JVM spent per message, counted for the client and, told its pid, the broker;
        // the two are read one after the other, so they may differ by what the process's threads (two cores) were
        // charged in between: up to two ticks at either end of the window
        double tick = 1e6 / CpuTicks.PER_SECOND / r.received();
        assertThat(r.clientCpuMicros()).isNotNaN().isGreaterThanOrEqualTo(0)
                .isCloseTo(r.brokerCpuMicros(), org.assertj.core.data.Offset.offset(4 * tick + 1e-9));
        assertThat(back.clientCpuMicros()).isCloseTo(r.clientCpuMicros(), org.assertj.core.data.Offset.offset(0.001));
        List<String> withoutCpu = rows.get(2).subList(0, rows.get(2).size() - 2); // a row written before them
        assertThat(LoadResult.fromCsv(withoutCpu).clientCpuMicros()).isNaN();
    }

    @Test
    void anUnknownJndiNameFailsWithTheNameAndHowToBindIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run("bad", "--factory", "Nope", "--messages", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Nope'")
                .hasMessageContaining("connectionFactory.Nope=");
    }
}
